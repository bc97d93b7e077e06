package io.tracetics.benchmarks;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * One keep-alive HTTP/1.1 connection that sends prebuilt request bytes and reads the response. Far
 * cheaper on CPU than java.net.http, so more of the two cores is left to the server under test.
 */
final class RawHttpClient implements Closeable {
  private final Socket socket;
  private final InputStream in;
  private final OutputStream out;
  private String lastBody = "";

  RawHttpClient(int port) throws IOException {
    socket = new Socket("127.0.0.1", port);
    socket.setTcpNoDelay(true);
    socket.setSoTimeout(60_000);
    in = new BufferedInputStream(socket.getInputStream(), 16384);
    out = socket.getOutputStream();
  }

  static byte[] post(String path, String tenantKey, String appKey, byte[] body) {
    String head =
        "POST "
            + path
            + " HTTP/1.1\r\nHost: 127.0.0.1\r\nX-OL-Tenant-Key: "
            + tenantKey
            + "\r\nX-OL-App-Key: "
            + appKey
            + "\r\nContent-Type: application/json\r\nContent-Length: "
            + body.length
            + "\r\n\r\n";
    byte[] headBytes = head.getBytes(StandardCharsets.US_ASCII);
    byte[] request = new byte[headBytes.length + body.length];
    System.arraycopy(headBytes, 0, request, 0, headBytes.length);
    System.arraycopy(body, 0, request, headBytes.length, body.length);
    return request;
  }

  /** Sends one request; returns the status. The body is kept in {@link #lastBody()}. */
  int send(byte[] request) throws IOException {
    out.write(request);
    out.flush();
    String status = line();
    int code = Integer.parseInt(status.substring(9, 12));
    int length = -1;
    boolean chunked = false;
    String header;
    while (!(header = line()).isEmpty()) {
      String lower = header.toLowerCase(Locale.ROOT);
      if (lower.startsWith("content-length:")) {
        length = Integer.parseInt(lower.substring(15).trim());
      } else if (lower.startsWith("transfer-encoding:") && lower.contains("chunked")) {
        chunked = true;
      }
    }
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    if (chunked) {
      int size;
      while ((size = Integer.parseInt(line().trim(), 16)) > 0) {
        body.write(in.readNBytes(size));
        line();
      }
      line();
    } else if (length > 0) {
      body.write(in.readNBytes(length));
    }
    lastBody = body.toString(StandardCharsets.UTF_8);
    return code;
  }

  String lastBody() {
    return lastBody;
  }

  private String line() throws IOException {
    StringBuilder line = new StringBuilder();
    int c;
    while ((c = in.read()) != -1) {
      if (c == '\n') {
        break;
      }
      if (c != '\r') {
        line.append((char) c);
      }
    }
    if (c == -1 && line.length() == 0) {
      throw new IOException("connection closed");
    }
    return line.toString();
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }
}
