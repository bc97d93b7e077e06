package io.tracetics.alerts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Names resolve through an injected resolver: no lookup, nothing sent. */
class WebhookTargetsTest {
  private final List<String> asked = new ArrayList<>();

  private static InetAddress ip(String literal) {
    try {
      return InetAddress.getByName(literal);
    } catch (UnknownHostException e) {
      throw new AssertionError(e);
    }
  }

  private final Map<String, List<InetAddress>> names =
      Map.of(
          "hooks.example.com", List.of(ip("93.184.216.34")),
          "ten.example.com", List.of(ip("10.1.2.3")),
          "lan.example.com", List.of(ip("192.168.1.20")),
          "metadata.example.com", List.of(ip("169.254.169.254")),
          "local.example.com", List.of(ip("127.0.0.1")),
          "v6local.example.com", List.of(ip("::1")),
          "ula.example.com", List.of(ip("fd00::5")),
          "mixed.example.com", List.of(ip("93.184.216.34"), ip("172.16.5.4")),
          "edge.example.com", List.of(ip("172.32.0.1")));

  private final WebhookTargets.Resolver resolver =
      host -> {
        asked.add(host);
        if (names.containsKey(host)) {
          return names.get(host);
        }
        if (host.matches("[0-9.]+") || host.contains(":")) {
          return List.of(InetAddress.getByName(host)); // a literal: parsed, never looked up
        }
        throw new UnknownHostException(host);
      };

  private final WebhookTargets strict = new WebhookTargets(resolver, false);

  private String refusal(String url) {
    return assertThrows(WebhookTargets.RefusedTarget.class, () -> strict.check(url)).getMessage();
  }

  @Test
  void allowsAPublicHttpsTarget() throws Exception {
    WebhookTargets.Target target = strict.check("https://hooks.example.com/tracetics?x=1");
    assertEquals("hooks.example.com", target.uri().getHost());
    assertEquals(List.of(ip("93.184.216.34")), target.addresses());
  }

  @Test
  void refusesNamesResolvingToPrivateAddresses() {
    assertTrue(refusal("https://ten.example.com/h").contains("10.1.2.3"));
    assertTrue(refusal("https://lan.example.com/h").contains("private"));
    assertTrue(refusal("http://metadata.example.com/latest").contains("link-local"));
    assertTrue(refusal("http://local.example.com:8080/").contains("loopback"));
    assertTrue(refusal("https://v6local.example.com/").contains("loopback"));
    assertTrue(refusal("https://ula.example.com/").contains("unique local"));
  }

  @Test
  void refusesANameWithAnyPrivateAddress() {
    assertTrue(refusal("https://mixed.example.com/").contains("172.16.5.4"));
  }

  @Test
  void allowsANameJustOutside172_16Slash12() throws Exception {
    strict.check("https://edge.example.com/");
  }

  @Test
  void refusesAddressLiterals() {
    for (String url :
        List.of(
            "http://127.0.0.1:9/",
            "http://10.0.0.8/",
            "http://172.16.0.1/",
            "http://172.31.0.1/",
            "http://192.168.1.1/",
            "http://169.254.169.254/",
            "http://[::1]:8080/",
            "http://[fc00::1]/",
            "http://[fe80::1]/",
            "http://[::ffff:127.0.0.1]/")) {
      refusal(url);
    }
  }

  @Test
  void refusesWhatIsNotAnHttpUrl() {
    assertEquals("must be an http or https URL", refusal("ftp://hooks.example.com/"));
    assertEquals("must be an http or https URL", refusal("file:///etc/passwd"));
    assertEquals("must be an http or https URL", refusal("hooks.example.com/x"));
    assertEquals("must name a host", refusal("https:///path"));
    assertEquals("must not carry credentials", refusal("https://user:pw@hooks.example.com/"));
    assertEquals("is required", refusal(" "));
    assertEquals("is not a valid URL", refusal("https://hooks.example.com/a b"));
    assertTrue(refusal("https://nowhere.example.com/").contains("does not resolve"));
  }

  @Test
  void allowsPrivateTargetsWhenConfigured() throws Exception {
    WebhookTargets open = new WebhookTargets(resolver, true);
    open.check("http://127.0.0.1:8080/hook");
    open.check("https://lan.example.com/");
    assertThrows(WebhookTargets.RefusedTarget.class, () -> open.check("ftp://127.0.0.1/"));
  }
}
