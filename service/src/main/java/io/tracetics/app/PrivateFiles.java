package io.tracetics.app;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;

/** Files holding secrets (generated tokens and keys): readable by their owner only. */
final class PrivateFiles {
  private PrivateFiles() {}

  /**
   * Writes {@code text} to a new file created owner-only ({@code rw-------}) from the start, so the
   * secret is never readable by others, not even for a moment. On a file system without POSIX
   * permissions the file keeps the system's default permissions.
   */
  static void write(Path file, String text) throws IOException {
    Files.createDirectories(file.toAbsolutePath().getParent());
    Files.deleteIfExists(file);
    try {
      Files.createFile(
          file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    } catch (UnsupportedOperationException e) {
      Files.createFile(file);
    } catch (FileAlreadyExistsException e) {
      throw new IOException("Another process created " + file + " at the same time", e);
    }
    Files.writeString(file, text, StandardCharsets.UTF_8, StandardOpenOption.TRUNCATE_EXISTING);
  }
}
