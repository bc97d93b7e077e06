package io.tracetics.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.logging.Level;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * Headless Chromium driven through Debian's chromedriver, for the dashboard's browser tests. Both
 * paths are given explicitly, so Selenium Manager never looks for (or downloads) anything. Without
 * the packages the tests fail on CI (CI=true) and are skipped elsewhere, with the install command.
 */
public final class Browser implements AutoCloseable {
  public static final Path CHROMIUM = Path.of("/usr/bin/chromium");
  public static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
  public static final Path SCREENSHOTS = Path.of("target", "screenshots");
  public static final Dimension LAPTOP = new Dimension(1366, 900);
  public static final Dimension PHONE = new Dimension(390, 844);

  private final ChromeDriverService service;
  private final ChromeDriver driver;
  private final Path profile;

  private Browser(ChromeDriverService service, ChromeDriver driver, Path profile) {
    this.service = service;
    this.driver = driver;
    this.profile = profile;
  }

  /** Starts a fresh browser (own temporary profile) at laptop size. */
  public static Browser start() {
    if (!Files.isExecutable(CHROMIUM) || !Files.isExecutable(CHROMEDRIVER)) {
      String message =
          "The dashboard's browser tests need Debian's chromium and chromium-driver ("
              + CHROMIUM
              + ", "
              + CHROMEDRIVER
              + "): apt-get install -y chromium chromium-driver (.ci/run does this)";
      if ("true".equalsIgnoreCase(System.getenv("CI"))) {
        Assertions.fail(message);
      }
      Assumptions.abort(message);
    }
    System.setProperty(ChromeDriverService.CHROME_DRIVER_EXE_PROPERTY, CHROMEDRIVER.toString());
    Path profile;
    try {
      profile = Files.createTempDirectory("tracetics-chromium");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    ChromeOptions options = new ChromeOptions();
    options.setBinary(CHROMIUM.toFile());
    options.addArguments(
        "--headless=new",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--disable-dev-shm-usage",
        "--hide-scrollbars",
        "--lang=en-US",
        "--window-size=" + LAPTOP.getWidth() + "," + LAPTOP.getHeight(),
        "--user-data-dir=" + profile);
    options.setCapability("goog:loggingPrefs", Map.of("browser", "ALL"));
    ChromeDriverService service =
        new ChromeDriverService.Builder()
            .usingDriverExecutable(CHROMEDRIVER.toFile())
            .usingAnyFreePort()
            .withLogOutput(java.io.OutputStream.nullOutputStream())
            .build();
    ChromeDriver driver = new ChromeDriver(service, options);
    driver.manage().timeouts().scriptTimeout(Duration.ofSeconds(20));
    return new Browser(service, driver, profile);
  }

  public WebDriver driver() {
    return driver;
  }

  /** Opens the dashboard of the server on {@code port} with an empty session (signed out). */
  public void openSignedOut(int port) {
    driver.manage().window().setSize(LAPTOP);
    driver.get("http://127.0.0.1:" + port + "/");
    script("sessionStorage.clear();");
    driver.navigate().refresh();
  }

  public Object script(String js, Object... args) {
    return ((JavascriptExecutor) driver).executeScript(js, args);
  }

  public WebElement find(String css) {
    return driver.findElement(By.cssSelector(css));
  }

  public List<WebElement> findAll(String css) {
    return driver.findElements(By.cssSelector(css));
  }

  /** Types {@code token} into the dashboard's sign-in form and submits it. */
  public void signIn(String token) {
    WebElement input = awaitVisible(testId("token-input"));
    input.clear();
    input.sendKeys(token);
    find("#sign-in").click();
  }

  public static String testId(String id) {
    return "[data-testid='" + id + "']";
  }

  public <T> T await(Function<WebDriver, T> condition) {
    return new WebDriverWait(driver, Duration.ofSeconds(20))
        .pollingEvery(Duration.ofMillis(100))
        .ignoring(org.openqa.selenium.StaleElementReferenceException.class)
        .ignoring(org.openqa.selenium.NoSuchElementException.class)
        .until(condition);
  }

  /** Waits until the element matching {@code css} is displayed, and returns it. */
  public WebElement awaitVisible(String css) {
    return await(
        d -> {
          WebElement element = d.findElement(By.cssSelector(css));
          return element.isDisplayed() ? element : null;
        });
  }

  /** Waits until an element matching {@code css} shows {@code text} (contained). */
  public WebElement awaitText(String css, String text) {
    return await(
        d -> {
          for (WebElement element : d.findElements(By.cssSelector(css))) {
            if (element.isDisplayed() && element.getText().contains(text)) {
              return element;
            }
          }
          return null;
        });
  }

  /**
   * A PNG of the whole page laid out at {@code size}'s width, under {@code
   * target/screenshots/<name>.png} (Chromium's own full-page capture, through chromedriver).
   */
  public Path screenshot(String name, Dimension size) {
    driver.manage().window().setSize(size);
    script("window.scrollTo(0, 0);");
    settle();
    Map<String, Object> metrics = driver.executeCdpCommand("Page.getLayoutMetrics", Map.of());
    Map<?, ?> content = (Map<?, ?>) metrics.get("cssContentSize");
    double width = ((Number) content.get("width")).doubleValue();
    double height = Math.min(8000, ((Number) content.get("height")).doubleValue());
    Map<String, Object> shot =
        driver.executeCdpCommand(
            "Page.captureScreenshot",
            Map.of(
                "format",
                "png",
                "captureBeyondViewport",
                true,
                "clip",
                Map.of("x", 0, "y", 0, "width", width, "height", height, "scale", 1)));
    try {
      Files.createDirectories(SCREENSHOTS);
      Path target = SCREENSHOTS.resolve(name + ".png");
      Files.write(target, Base64.getDecoder().decode((String) shot.get("data")));
      return target;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Saves the page's downloads into {@code directory} without asking (Chromium's own download
   * behaviour, through chromedriver).
   */
  public void downloadsTo(Path directory) {
    driver.executeCdpCommand(
        "Browser.setDownloadBehavior",
        Map.of("behavior", "allow", "downloadPath", directory.toAbsolutePath().toString()));
  }

  /** Focuses {@code element} (an SVG figure too) and presses {@code key} on it. */
  public void press(WebElement element, CharSequence key) {
    script("arguments[0].focus();", element);
    driver.switchTo().activeElement().sendKeys(key);
  }

  /**
   * Fails on any script error or Content-Security-Policy violation the page logged since the last
   * call. Failed requests ("Failed to load resource": the API's 4xx answers) are expected.
   */
  public void assertNoScriptErrors() {
    List<String> errors = new java.util.ArrayList<>();
    for (LogEntry entry : driver.manage().logs().get(LogType.BROWSER)) {
      if (entry.getLevel().intValue() >= Level.SEVERE.intValue()
          && !entry.getMessage().contains("Failed to load resource")) {
        errors.add(entry.getMessage());
      }
    }
    Assertions.assertEquals(List.of(), errors, "errors in the browser console");
  }

  /** Lets layout, ResizeObserver redraws and fonts finish. */
  private void settle() {
    ((JavascriptExecutor) driver)
        .executeAsyncScript(
            "const done = arguments[arguments.length - 1];"
                + " requestAnimationFrame(() => requestAnimationFrame(() => setTimeout(done, 150)));");
  }

  @Override
  public void close() {
    try {
      driver.quit();
    } finally {
      service.close();
      try (Stream<Path> files = Files.walk(profile)) {
        files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
      } catch (IOException e) {
        // A leftover temporary profile is harmless.
      }
    }
  }
}
