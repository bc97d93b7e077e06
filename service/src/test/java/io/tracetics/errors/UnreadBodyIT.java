package io.tracetics.errors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dropwizard.testing.junit5.DropwizardAppExtension;
import io.dropwizard.testing.junit5.DropwizardExtensionsSupport;
import io.tracetics.app.TraceticsConfiguration;
import io.tracetics.testing.TestApp;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * An answer given before the request's body was read (here a 401 from the authentication filter)
 * leaves the connection usable for the next request, or says {@code Connection: close}. Raw
 * sockets, so the body can arrive after the server has decided its answer.
 */
@ExtendWith(DropwizardExtensionsSupport.class)
class UnreadBodyIT {
  static final DropwizardAppExtension<TraceticsConfiguration> APP = TestApp.extension();

  @Test
  void aBodyThatArrivesLateIsReadAndTheConnectionServesTheNextRequest() throws Exception {
    byte[] body = "{\"name\": \"not allowed\"}".getBytes(StandardCharsets.UTF_8);
    try (Socket socket = new Socket("127.0.0.1", APP.getLocalPort())) {
      socket.setSoTimeout(10_000);
      OutputStream out = socket.getOutputStream();
      out.write(postHeaders(body.length));
      out.flush();
      // The authentication filter can answer now; the body is still on its way.
      Thread.sleep(300);
      out.write(body);
      out.flush();
      Answer refused = Answer.read(socket.getInputStream());
      assertEquals(401, refused.status);
      assertNull(refused.headers.get("connection"), "the connection stays open");

      out.write(
          "GET /api/v1/openapi.yaml HTTP/1.1\r\nHost: localhost\r\n\r\n"
              .getBytes(StandardCharsets.US_ASCII));
      out.flush();
      String next = Answer.readHead(socket.getInputStream());
      assertTrue(next.startsWith("HTTP/1.1 200 "), next);
    }
  }

  @Test
  void aLongUnreadRestClosesTheConnectionAndSaysSo() throws Exception {
    byte[] body = new byte[4 * UnreadBodyFilter.DRAIN_LIMIT];
    try (Socket socket = new Socket("127.0.0.1", APP.getLocalPort())) {
      socket.setSoTimeout(10_000);
      OutputStream out = socket.getOutputStream();
      out.write(postHeaders(body.length));
      out.flush();
      // Written by another thread: the server stops reading after the drain limit.
      CompletableFuture<Void> sending =
          CompletableFuture.runAsync(
              () -> {
                try {
                  out.write(body);
                  out.flush();
                } catch (IOException closedByServer) {
                  // expected once the server has answered and closed
                }
              });
      Answer refused = Answer.read(socket.getInputStream());
      assertEquals(401, refused.status);
      assertEquals("close", refused.headers.get("connection"));
      sending.cancel(true);
    }
  }

  private static byte[] postHeaders(int contentLength) {
    return ("POST /api/v1/tenants HTTP/1.1\r\n"
            + "Host: localhost\r\n"
            + "Content-Type: application/json\r\n"
            + "Content-Length: "
            + contentLength
            + "\r\n\r\n")
        .getBytes(StandardCharsets.US_ASCII);
  }

  /** One HTTP/1.1 answer with a Content-Length body, read off the socket. */
  private record Answer(int status, Map<String, String> headers, byte[] body) {
    static Answer read(InputStream in) throws IOException {
      String head = readHead(in);
      String[] lines = head.split("\r\n");
      int status = Integer.parseInt(lines[0].split(" ")[1]);
      Map<String, String> headers = new TreeMap<>();
      for (int i = 1; i < lines.length; i++) {
        int colon = lines[i].indexOf(':');
        headers.put(
            lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT),
            lines[i].substring(colon + 1).trim());
      }
      String length = headers.get("content-length");
      assertTrue(length != null, "the error answers carry a Content-Length: " + head);
      return new Answer(status, headers, in.readNBytes(Integer.parseInt(length)));
    }

    private static String readHead(InputStream in) throws IOException {
      ByteArrayOutputStream head = new ByteArrayOutputStream();
      int matched = 0;
      while (matched < 4) {
        int b = in.read();
        if (b < 0) {
          throw new IOException("the connection ended before an answer: " + head);
        }
        head.write(b);
        matched = (b == "\r\n\r\n".charAt(matched)) ? matched + 1 : (b == '\r' ? 1 : 0);
      }
      return head.toString(StandardCharsets.US_ASCII).trim();
    }
  }
}
