package io.tracetics.app;

import io.tracetics.tenancy.CredentialKind;
import io.tracetics.tenancy.Secrets;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The operator token: from {@code TRACETICS_OPERATOR_TOKEN} when set, else generated once and kept
 * in {@code <dataDir>/operator-token} (readable by the owner only). The token is never logged.
 */
final class OperatorToken {
  private static final Logger LOG = LoggerFactory.getLogger(OperatorToken.class);
  static final int MIN_LENGTH = 16;

  private OperatorToken() {}

  static String resolve(String configured, Path dataDir) {
    if (configured != null && !configured.isBlank()) {
      if (configured.strip().length() < MIN_LENGTH) {
        throw new IllegalStateException(
            "TRACETICS_OPERATOR_TOKEN must be at least " + MIN_LENGTH + " characters");
      }
      return configured.strip();
    }
    Path file = dataDir.resolve("operator-token").toAbsolutePath();
    try {
      if (Files.exists(file)) {
        return Files.readString(file, StandardCharsets.UTF_8).strip();
      }
      String token = Secrets.generate(CredentialKind.MANAGEMENT_TOKEN).replace("mt_", "op_");
      PrivateFiles.write(file, token + "\n");
      LOG.info("No operator token configured: generated one and stored it in {}", file);
      return token;
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot read or write " + file, e);
    }
  }
}
