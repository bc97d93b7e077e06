package io.tracetics.sdk;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The TypeScript SDK's {@code <script>}-tag build, as committed in this module's resources: the
 * SDK's {@code npm run bundle:service} writes it and the SDK's tests fail while it differs from a
 * fresh build, so the service builds and runs with a JDK alone. Its version is read from the
 * build's license banner, so the one file is the source of both.
 */
public final class SdkBundle {
  public static final String RESOURCE = "/io/tracetics/sdk/tracetics.js";

  private static final Pattern BANNER =
      Pattern.compile("\\A/\\*! tracetics-sdk (\\d+\\.\\d+\\.\\d+(?:-[0-9A-Za-z.]+)?) ");

  private final byte[] bytes;
  private final String version;
  private final String etag;

  private SdkBundle(byte[] bytes, String version, String etag) {
    this.bytes = bytes;
    this.version = version;
    this.etag = etag;
  }

  /** The bundle on the class path; the application does not start without it. */
  public static SdkBundle load() {
    try (InputStream in = SdkBundle.class.getResourceAsStream(RESOURCE)) {
      if (in == null) {
        throw new IllegalStateException(RESOURCE + " is missing from the classpath");
      }
      return of(in.readAllBytes());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static SdkBundle of(byte[] bytes) {
    String head = new String(bytes, 0, Math.min(bytes.length, 200), StandardCharsets.UTF_8);
    return new SdkBundle(bytes.clone(), versionOf(head), etagOf(bytes));
  }

  /** The version in the build's first line, {@code /*! tracetics-sdk 1.2.3 | ...}. */
  static String versionOf(String head) {
    Matcher matcher = BANNER.matcher(head);
    if (!matcher.find()) {
      throw new IllegalStateException(
          RESOURCE + " does not start with the SDK build's banner '/*! tracetics-sdk <version> '");
    }
    return matcher.group(1);
  }

  /** A strong validator: the first 128 bits of the bytes' SHA-256, quoted. */
  static String etagOf(byte[] bytes) {
    try {
      byte[] hash = MessageDigest.getInstance("SHA-256").digest(bytes);
      return "\""
          + Base64.getUrlEncoder().withoutPadding().encodeToString(hash).substring(0, 22)
          + "\"";
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every JDK", e);
    }
  }

  public byte[] bytes() {
    return bytes.clone();
  }

  public String version() {
    return version;
  }

  public String etag() {
    return etag;
  }

  /** This version's file name, {@code tracetics-<version>.js}. */
  public String versionedName() {
    return "tracetics-" + version + ".js";
  }
}
