package io.tracetics.dashboard;

import static io.tracetics.testing.Browser.testId;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import io.dropwizard.testing.junit5.DropwizardExtensionsSupport;
import io.tracetics.app.TraceticsConfiguration;
import io.tracetics.testing.Browser;
import io.tracetics.testing.BrowserTest;
import io.tracetics.testing.Http;
import io.tracetics.testing.Tenants;
import io.tracetics.testing.TestApp;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The dashboard's pictures in headless Chromium, checked against the API's numbers: each step's
 * time-to-convert histogram, the monthly quota meter (on a plan of 10 events: amber at 8, red at 10
 * with the refused events), the pipeline's sparklines, a chart of a two-column SQL result, and the
 * files the page saves (the report and a SQL result as CSV, charts as SVG and PNG).
 */
@ExtendWith(DropwizardExtensionsSupport.class)
class DashboardPicturesIT extends BrowserTest {
  static final DropwizardAppExtension<TraceticsConfiguration> APP =
      TestApp.extension("test-config-pictures.yml", Map.of());

  /** The Okabe-Ito blue every bar and line is drawn in. */
  private static final int PRIMARY = 0x0072B2;

  Http http() {
    return new Http(APP.getLocalPort());
  }

  @Test
  void histogramsPerStepShowTheReportsCountsAndTheReportDownloads(@TempDir Path downloads)
      throws Exception {
    Tenants.TenantApp t = Tenants.create(http());
    List<Journeys.Event> events = Journeys.events();
    send(t, events);
    long funnelId = createFunnel(t, "Pictures funnel");
    JsonNode report =
        http()
            .get("/api/v1/apps/" + t.appId() + "/funnels/" + funnelId + "/report")
            .bearer(t.managementToken())
            .send()
            .successJson();
    JsonNode steps = report.get("steps");
    long[] expected = Journeys.expectedUsers(events);
    for (int i = 0; i < 3; i++) {
      assertEquals(expected[i], steps.get(i).get("users").asLong(), "step " + i);
    }

    signIn(t);
    browser.driver().get(origin() + "/#/apps/" + t.appId() + "/funnels/" + funnelId);
    browser.awaitVisible(testId("funnel-chart"));
    browser.awaitVisible(testId("ttc-histogram"));
    List<WebElement> charts = browser.findAll(testId("ttc-histogram"));
    assertEquals(2, charts.size(), "steps 2 and 3 have a time to convert; step 1 none");
    for (WebElement chart : charts) {
      int step = Integer.parseInt(chart.getAttribute("data-step"));
      JsonNode histogram = steps.get(step).get("time_to_convert").get("histogram");
      List<WebElement> buckets = chart.findElements(By.cssSelector("g.bucket"));
      assertEquals(histogram.size(), buckets.size(), "step " + step);
      long sum = 0;
      for (int k = 0; k < buckets.size(); k++) {
        long users = histogram.get(k).get("users").asLong();
        sum += users;
        WebElement bucket = buckets.get(k);
        assertEquals(String.valueOf(users), bucket.getAttribute("data-users"), "bucket " + k);
        // Every count is written as text too, and named for screen readers.
        assertEquals(
            String.valueOf(users),
            bucket.findElement(By.cssSelector("[data-testid='bucket-users']")).getText());
        assertTrue(
            bucket.getAttribute("aria-label").contains(users == 1 ? "1 user" : users + " users"),
            bucket.getAttribute("aria-label"));
      }
      assertEquals(steps.get(step).get("users").asLong(), sum, "every converter in one bucket");
    }
    // The journeys' signups come 30 s to 225 s after the visit: [10, 60) and [60, 300).
    WebElement signup = charts.get(0);
    assertTrue(Long.parseLong(bucketUsers(signup, 2)) > 0);
    assertTrue(Long.parseLong(bucketUsers(signup, 3)) > 0);
    assertEquals("0", bucketUsers(signup, 0));
    WebElement summary = browser.findAll(testId("ttc-summary")).get(0);
    assertTrue(summary.getText().startsWith("median "), summary.getText());
    browser.script("arguments[0].scrollIntoView();", browser.find(testId("time-to-convert")));
    browser.screenshot("pictures-histograms", Browser.LAPTOP);
    browser.screenshot("pictures-histograms-phone", Browser.PHONE);
    browser.driver().manage().window().setSize(Browser.LAPTOP);
    browser.awaitVisible(testId("ttc-histogram"));

    // The report's numbers as CSV: one row per step, the histogram's counts in ttc_ columns.
    browser.downloadsTo(downloads);
    browser.find(testId("report-csv")).click();
    List<String> lines =
        Files.readAllLines(
            awaitFile(downloads, "pictures-funnel-report.csv"), StandardCharsets.UTF_8);
    assertEquals(4, lines.size(), lines::toString);
    List<String> header = List.of(lines.get(0).split(","));
    assertEquals("group", header.get(0));
    int usersColumn = header.indexOf("users");
    int bucketColumn = header.indexOf("ttc_60s_to_300s");
    assertTrue(bucketColumn > 0, header::toString);
    assertEquals("ttc_604800s_plus", header.get(header.size() - 1));
    for (int i = 0; i < 3; i++) {
      String[] row = lines.get(i + 1).split(",", -1);
      assertEquals("all", row[0]);
      assertEquals(String.valueOf(i + 1), row[header.indexOf("step")]);
      assertEquals(steps.get(i).get("users").asText(), row[usersColumn], "step " + i);
      // ttc_60s_to_300s is bucket 3; the first step has no time to convert.
      assertEquals(
          i == 0
              ? ""
              : steps.get(i).get("time_to_convert").get("histogram").get(3).get("users").asText(),
          row[bucketColumn],
          "step " + i);
    }

    // The funnel chart as SVG (styles inlined, every number in it) and as PNG (twice the size).
    browser.find(testId("funnel-svg")).click();
    String svg = Files.readString(awaitFile(downloads, "pictures-funnel-funnel.svg"));
    assertTrue(svg.startsWith("<?xml"), svg.substring(0, 40));
    assertTrue(svg.contains("<svg") && svg.contains("xmlns=\"http://www.w3.org/2000/svg\""));
    for (int i = 0; i < 3; i++) {
      assertTrue(svg.contains(">" + expected[i] + "<"), "the count of step " + i);
    }
    assertTrue(svg.contains("fill=\"rgb(0, 114, 178)\""), "bars keep their colour");
    assertFalse(svg.contains("tabindex"), "a file, not a page's widget");
    WebElement funnelSvg = browser.find(testId("funnel-chart"));
    int width = Integer.parseInt(funnelSvg.getAttribute("width"));
    browser.find(testId("funnel-png")).click();
    BufferedImage png = ImageIO.read(awaitFile(downloads, "pictures-funnel-funnel.png").toFile());
    assertNotNull(png, "a PNG");
    assertEquals(2 * width, png.getWidth());
    assertTrue(hasColour(png, PRIMARY), "the bars are in the PNG");

    // A histogram as PNG.
    browser.findAll(testId("ttc-png")).get(0).click();
    Path histogramFile = awaitFile(downloads, "pictures-funnel-step-2-time.png");
    BufferedImage histogramPng = ImageIO.read(histogramFile.toFile());
    assertTrue(hasColour(histogramPng, PRIMARY));
    // The saved files beside the screenshots, to look at.
    Files.createDirectories(Browser.SCREENSHOTS);
    Files.copy(
        downloads.resolve("pictures-funnel-funnel.png"),
        Browser.SCREENSHOTS.resolve("pictures-download-funnel.png"),
        StandardCopyOption.REPLACE_EXISTING);
    Files.copy(
        histogramFile,
        Browser.SCREENSHOTS.resolve("pictures-download-histogram.png"),
        StandardCopyOption.REPLACE_EXISTING);
    browser.assertNoScriptErrors();
  }

  @Test
  void theQuotaMeterTurnsAmberAt80PercentAndRedAtTheLimitWithTheRefusedEvents() throws Exception {
    Tenants.TenantApp t = Tenants.create(http(), "tiny");
    assertEquals(200, sendBatch(t, 7).status());
    signIn(t);
    WebElement meter = browser.awaitVisible(testId("quota-meter"));
    assertEquals("ok", meter.getAttribute("data-state"));
    assertEquals("7", meter.getAttribute("data-used"));
    assertEquals("10", meter.getAttribute("data-limit"));
    assertTrue(meter.getText().contains("7 of 10 events"), meter.getText());
    assertTrue(meter.getText().contains("70%"), meter.getText());
    assertEquals(1, browser.findAll(testId("quota-refused-none")).size());

    // 8 of 10: amber.
    assertEquals(200, sendBatch(t, 1).status());
    meter = reloadApps();
    assertEquals("warn", meter.getAttribute("data-state"));
    assertTrue(meter.getAttribute("class").contains("quota-warn"));
    assertTrue(meter.getText().contains("80%"), meter.getText());
    assertTrue(meter.getText().contains("Nearing the monthly limit"), meter.getText());
    assertEquals(
        "8", browser.find(testId("quota-bar")).getAttribute("aria-valuenow"), "the meter's value");
    browser.screenshot("pictures-quota-amber", Browser.LAPTOP);

    // 5 more: 2 fit, 3 are refused. Red, with the refused events called out.
    Http.Response over = sendBatch(t, 5);
    assertTrue(over.status() == 200 || over.status() == 429, over::toString);
    JsonNode usage = http().get("/api/v1/usage").bearer(t.managementToken()).send().successJson();
    JsonNode monthly = usage.get("monthly_events");
    assertEquals(10, monthly.get("used").asLong());
    assertEquals(3, monthly.get("rejected").asLong());
    meter = reloadApps();
    assertEquals("full", meter.getAttribute("data-state"));
    assertTrue(meter.getAttribute("class").contains("quota-full"));
    assertEquals(monthly.get("rejected").asText(), meter.getAttribute("data-rejected"));
    WebElement refused = browser.find(testId("quota-refused"));
    assertTrue(refused.getText().startsWith("3 events refused"), refused.getText());
    assertTrue(meter.getText().contains("100%"), meter.getText());
    browser.screenshot("pictures-quota-red", Browser.LAPTOP);

    // The same meter at the top of the pipeline page.
    browser.driver().get(origin() + "/#/pipeline");
    WebElement onPipeline = browser.awaitVisible(testId("quota-meter"));
    assertEquals("full", onPipeline.getAttribute("data-state"));
    assertTrue(browser.find(testId("quota-refused")).getText().startsWith("3 events refused"));

    // The unlimited plan has no limit: the count, no meter.
    Http.Response patched =
        http()
            .patch("/api/v1/tenants/" + t.tenantId())
            .bearer(TestApp.OPERATOR_TOKEN)
            .json(Map.of("plan", "unlimited"))
            .send();
    assertEquals(200, patched.status(), patched::toString);
    meter = reloadApps();
    assertEquals("unlimited", meter.getAttribute("data-state"));
    assertEquals("", meter.getAttribute("data-limit"));
    assertEquals(0, browser.findAll(testId("quota-bar")).size());
    assertTrue(meter.getText().contains("no monthly limit"), meter.getText());
    browser.assertNoScriptErrors();
  }

  @Test
  void thePipelineDrawsItsLastMinutesFromItsOwnPolls() throws Exception {
    // A plan of 250 events: the journeys (128) and two batches of 50 reach 91%; 40 more, the limit.
    Tenants.TenantApp t = Tenants.create(http(), "small");
    List<Journeys.Event> events = Journeys.events();
    send(t, events);
    signIn(t);
    browser.driver().get(origin() + "/#/pipeline");
    WebElement waiting = browser.awaitVisible(testId("spark-waiting"));
    // The first sample is the page's first answer.
    browser.await(d -> Integer.parseInt(waiting.getAttribute("data-points")) >= 1);
    assertEquals(3, browser.findAll(testId("pipeline-trends") + " canvas").size(), "three charts");
    // Each of the page's polls (every 5 s) adds a sample; traffic between them moves the lines.
    for (int batch : new int[] {50, 50, 40}) {
      int points = Integer.parseInt(waiting.getAttribute("data-points"));
      sendBatch(t, batch);
      new WebDriverWait(browser.driver(), Duration.ofSeconds(20))
          .until(d -> Integer.parseInt(waiting.getAttribute("data-points")) > points);
    }
    assertTrue(Integer.parseInt(waiting.getAttribute("data-points")) >= 4);
    // Each sparkline's number is the pipeline's own, from the same answer.
    String rate = browser.find(testId("spark-rate-value")).getText();
    String ingestNote = browser.find(testId("stat-ingest")).getText();
    assertTrue(ingestNote.contains(rate + " per second"), rate + " vs " + ingestNote);
    assertEquals(
        browser.find(testId("stat-waiting") + " .stat-value").getText(),
        browser.find(testId("spark-waiting-value")).getText());
    for (String key : List.of("lag", "rate", "waiting")) {
      WebElement tile = browser.find(testId("spark-" + key));
      assertEquals(1, tile.findElements(By.cssSelector("canvas")).size(), key + " drawn by uPlot");
      assertTrue(tile.getAttribute("aria-label").contains("now"), tile.getAttribute("aria-label"));
      assertTrue(
          browser.find(testId("spark-" + key + "-range")).getText().contains("samples"), key);
    }
    // uPlot's stylesheet is loaded from the jar (its wrapper is positioned by it).
    assertEquals(
        "relative",
        browser.script(
            "return getComputedStyle(document.querySelector('.spark .u-wrap')).position;"));
    // The quota meter over it: 250 of 250 after the last batch, 18 of its events refused.
    JsonNode monthly =
        http()
            .get("/api/v1/usage")
            .bearer(t.managementToken())
            .send()
            .successJson()
            .get("monthly_events");
    assertEquals(250, monthly.get("used").asLong());
    assertEquals(18, monthly.get("rejected").asLong());
    browser.await(
        d -> "full".equals(browser.find(testId("quota-meter")).getAttribute("data-state")));
    assertTrue(browser.find(testId("quota-refused")).getText().startsWith("18 events refused"));
    browser.screenshot("pictures-pipeline", Browser.LAPTOP);
    browser.assertNoScriptErrors();
  }

  @Test
  void aTwoColumnSqlResultCanBeChartedAndResultsDownloadAsCsv(@TempDir Path downloads)
      throws Exception {
    Tenants.TenantApp t = Tenants.create(http());
    send(t, Journeys.events());
    signIn(t);
    browser.downloadsTo(downloads);
    browser.driver().get(origin() + "/#/apps/" + t.appId() + "/sql");
    String query =
        "SELECT event_name, count(*) AS events FROM events GROUP BY event_name ORDER BY event_name";
    runSql(query);
    WebElement toggle = browser.awaitVisible(testId("sql-chart-toggle"));
    assertEquals("false", toggle.getAttribute("aria-pressed"));
    assertFalse(browser.find(testId("sql-chart")).isDisplayed());
    toggle.click();
    WebElement chart = browser.awaitVisible(testId("sql-chart"));
    assertEquals("bar", chart.getAttribute("data-kind"), "labels and numbers: bars");
    int rows = browser.findAll(testId("sql-result") + " tbody tr").size();
    assertEquals(4, rows, "visit, page_view, signup, purchase");
    assertEquals(String.valueOf(rows), chart.getAttribute("data-points"));
    browser.await(d -> !browser.findAll(testId("sql-chart") + " canvas").isEmpty());
    browser.screenshot("pictures-sql-bars", Browser.LAPTOP);

    // The chart as PNG: its bars are there.
    browser.find(testId("sql-chart-png")).click();
    BufferedImage png =
        ImageIO.read(awaitFile(downloads, "app-" + t.appId() + "-query-chart.png").toFile());
    assertTrue(hasColour(png, PRIMARY), "bars in the PNG");

    // The whole result as CSV: what the API answers with Accept: text/csv.
    browser.find(testId("sql-csv")).click();
    String csv = Files.readString(awaitFile(downloads, "app-" + t.appId() + "-query.csv"));
    Http.Response api =
        http()
            .post("/api/v1/apps/" + t.appId() + "/sql")
            .bearer(t.managementToken())
            .header("Accept", "text/csv")
            .json(Map.of("query", query))
            .send();
    assertEquals(200, api.status(), api::toString);
    assertEquals(api.text(), csv);
    assertTrue(csv.startsWith("event_name,events\r\n"), csv);

    // Over time: a line.
    runSql(
        "SELECT date_trunc('day', event_time) AS day, count(*) AS events FROM events"
            + " GROUP BY 1 ORDER BY 1");
    browser.awaitVisible(testId("sql-chart-toggle")).click();
    chart = browser.awaitVisible(testId("sql-chart"));
    assertEquals("line", chart.getAttribute("data-kind"));
    assertEquals("3", chart.getAttribute("data-points"), "the journeys span three days");
    new Select(browser.find(testId("sql-chart-kind"))).selectByValue("bar");
    browser.await(d -> "bar".equals(browser.find(testId("sql-chart")).getAttribute("data-kind")));
    new Select(browser.find(testId("sql-chart-kind"))).selectByValue("line");
    browser.await(d -> "line".equals(browser.find(testId("sql-chart")).getAttribute("data-kind")));
    browser.screenshot("pictures-sql-line", Browser.LAPTOP);

    // Three columns: no chart, the CSV still.
    runSql("SELECT event_name, count(*) AS events, 1 AS one FROM events GROUP BY event_name");
    browser.awaitVisible(testId("sql-csv"));
    assertEquals(0, browser.findAll(testId("sql-chart-toggle")).size());
    browser.assertNoScriptErrors();
  }

  // --- helpers ---------------------------------------------------------------------------------

  private String origin() {
    return "http://127.0.0.1:" + APP.getLocalPort();
  }

  private void signIn(Tenants.TenantApp t) {
    browser.openSignedOut(APP.getLocalPort());
    browser.signIn(t.managementToken());
    browser.awaitVisible(testId("app-card"));
  }

  private WebElement reloadApps() {
    browser.driver().get(origin() + "/#/pipeline");
    browser.awaitVisible(testId("pipeline-updated"));
    browser.driver().get(origin() + "/#/");
    browser.awaitVisible(testId("app-card"));
    return browser.awaitVisible(testId("quota-meter"));
  }

  private void runSql(String query) {
    WebElement editor = browser.awaitVisible(testId("sql-query"));
    browser.script("arguments[0].value = arguments[1];", editor, query);
    // Marks the shown result, to wait for the new one.
    browser.script(
        "document.querySelectorAll(\"[data-testid='sql-summary']\").forEach(e => e.dataset.stale = '1');");
    browser.find(testId("run-sql")).click();
    browser.awaitVisible(testId("sql-summary") + ":not([data-stale])");
  }

  private static String bucketUsers(WebElement chart, int bucket) {
    return chart
        .findElement(By.cssSelector("g.bucket[data-bucket='" + bucket + "']"))
        .getAttribute("data-users");
  }

  /** Waits until Chromium has finished saving {@code name} in {@code directory}. */
  private static Path awaitFile(Path directory, String name) throws InterruptedException {
    Path file = directory.resolve(name);
    long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
    while (System.nanoTime() < deadline) {
      try {
        if (Files.isRegularFile(file)
            && Files.size(file) > 0
            && !Files.exists(directory.resolve(name + ".crdownload"))) {
          return file;
        }
      } catch (IOException e) {
        // Still being written.
      }
      Thread.sleep(100);
    }
    throw new AssertionError("no download " + name + " in " + directory);
  }

  /** Whether some pixel is within a small distance of {@code rgb}. */
  private static boolean hasColour(BufferedImage image, int rgb) {
    int r = (rgb >> 16) & 0xff;
    int g = (rgb >> 8) & 0xff;
    int b = rgb & 0xff;
    for (int y = 0; y < image.getHeight(); y++) {
      for (int x = 0; x < image.getWidth(); x++) {
        int p = image.getRGB(x, y);
        if (Math.abs(((p >> 16) & 0xff) - r) < 8
            && Math.abs(((p >> 8) & 0xff) - g) < 8
            && Math.abs((p & 0xff) - b) < 8) {
          return true;
        }
      }
    }
    return false;
  }

  private long createFunnel(Tenants.TenantApp t, String name) {
    Http.Response created =
        http()
            .post("/api/v1/apps/" + t.appId() + "/funnels")
            .bearer(t.managementToken())
            .json(
                Map.of(
                    "name",
                    name,
                    "window_seconds",
                    Journeys.WINDOW_SECONDS,
                    "steps",
                    List.of(
                        Map.of("event_name", "visit"),
                        Map.of(
                            "event_name",
                            "signup",
                            "filters",
                            List.of(
                                Map.of(
                                    "property",
                                    "plan",
                                    "op",
                                    "in",
                                    "value",
                                    List.of("pro", "team")))),
                        Map.of("event_name", "purchase"))))
            .send();
    assertEquals(201, created.status(), created::toString);
    return created.json().get("funnel_id").asLong();
  }

  /** {@code count} events of new users, now. */
  private Http.Response sendBatch(Tenants.TenantApp t, int count) {
    List<Map<String, Object>> batch = new ArrayList<>();
    long now = Instant.now().toEpochMilli();
    long run = System.nanoTime();
    for (int i = 0; i < count; i++) {
      batch.add(
          Map.of("event_name", "visit", "user_identifier", "u-" + run + "-" + i, "timestamp", now));
    }
    return http()
        .post("/api/v1/events/batch")
        .header("X-OL-Tenant-Key", t.tenantKey())
        .header("X-OL-App-Key", t.appKey())
        .json(Map.of("events", batch))
        .send();
  }

  /** Sends the events through the ingest API and waits until this node has loaded them. */
  private void send(Tenants.TenantApp t, List<Journeys.Event> events) throws InterruptedException {
    Journeys.send(APP, t, events);
  }
}
