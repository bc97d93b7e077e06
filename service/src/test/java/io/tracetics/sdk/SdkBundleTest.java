package io.tracetics.sdk;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class SdkBundleTest {
  @Test
  void theVersionComesFromTheBuildsBanner() {
    assertEquals(
        "0.1.0",
        SdkBundle.versionOf("/*! tracetics-sdk 0.1.0 | MIT License | Tracetics contributors */"));
    assertEquals("2.0.0-beta.1", SdkBundle.versionOf("/*! tracetics-sdk 2.0.0-beta.1 | MIT */\n"));
    for (String head :
        new String[] {
          "", "var Tracetics=", "/*! tracetics-sdk latest | MIT */", "// /*! tracetics-sdk 1.0.0 "
        }) {
      assertThrows(IllegalStateException.class, () -> SdkBundle.versionOf(head), head);
    }
  }

  @Test
  void theEtagIsAStableHashOfTheBytes() {
    byte[] a = "/*! tracetics-sdk 1.0.0 | x */ a".getBytes(StandardCharsets.UTF_8);
    byte[] b = "/*! tracetics-sdk 1.0.0 | x */ b".getBytes(StandardCharsets.UTF_8);
    assertEquals(SdkBundle.of(a).etag(), SdkBundle.of(a.clone()).etag());
    assertNotEquals(SdkBundle.of(a).etag(), SdkBundle.of(b).etag());
    assertTrue(SdkBundle.of(a).etag().matches("\"[A-Za-z0-9_-]{22}\""), SdkBundle.of(a).etag());
  }

  /** The committed build is on the class path and is the SDK's current version. */
  @Test
  void theCommittedBundleIsTheSdksVersion() throws Exception {
    SdkBundle bundle = SdkBundle.load();
    String sdkVersion =
        new ObjectMapper()
            .readTree(Files.readString(Path.of("..", "sdk", "typescript", "package.json")))
            .get("version")
            .asText();
    assertEquals(sdkVersion, bundle.version());
    assertEquals("tracetics-" + sdkVersion + ".js", bundle.versionedName());
    try (InputStream in = SdkBundle.class.getResourceAsStream(SdkBundle.RESOURCE)) {
      assertArrayEquals(in.readAllBytes(), bundle.bytes());
    }
  }
}
