package io.tracetics.errors;

import jakarta.annotation.Priority;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.container.ContainerResponseContext;
import jakarta.ws.rs.container.ContainerResponseFilter;
import jakarta.ws.rs.container.PreMatching;
import jakarta.ws.rs.core.HttpHeaders;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * Keeps a connection usable after an answer that did not read the request's body: a 401 from the
 * authentication filter, a 404, a 413 and the like.
 *
 * <p>Without it, the server answers before the body has fully arrived and then closes the
 * connection, because the unread rest would be taken for the next request. The answer does not say
 * so, and a client with a connection pool (the SDKs, browsers, Java's HttpClient) sends its next
 * request on that connection, which fails with no response at all. So before any answer goes out,
 * this filter reads the rest of a body nothing read, up to {@link #DRAIN_LIMIT} bytes; a longer
 * rest is left unread and the answer carries {@code Connection: close} instead.
 */
@PreMatching
@Priority(0) // first: the body is wrapped before any other filter can answer
public final class UnreadBodyFilter implements ContainerRequestFilter, ContainerResponseFilter {
  /** The most of a body's unread rest that is read to keep its connection open. */
  static final int DRAIN_LIMIT = 64 * 1024;

  private static final String BODY = UnreadBodyFilter.class.getName() + ".body";

  @Override
  public void filter(ContainerRequestContext request) {
    String length = request.getHeaderString(HttpHeaders.CONTENT_LENGTH);
    boolean hasBody =
        (length != null && !length.equals("0"))
            || request.getHeaderString("Transfer-Encoding") != null;
    if (hasBody) {
      TrackedBody body = new TrackedBody(request.getEntityStream());
      request.setEntityStream(body);
      request.setProperty(BODY, body);
    }
  }

  @Override
  public void filter(ContainerRequestContext request, ContainerResponseContext response) {
    if (request.getProperty(BODY) instanceof TrackedBody body && !body.drain(DRAIN_LIMIT)) {
      response.getHeaders().putSingle("Connection", "close");
    }
  }

  /** A request body that knows whether it was read to its end. */
  private static final class TrackedBody extends FilterInputStream {
    private boolean ended;

    TrackedBody(InputStream in) {
      super(in);
    }

    @Override
    public int read() throws IOException {
      int b = super.read();
      ended |= b < 0;
      return b;
    }

    @Override
    public int read(byte[] buffer, int offset, int length) throws IOException {
      int n = super.read(buffer, offset, length);
      ended |= n < 0;
      return n;
    }

    /**
     * Leaves the connection's stream open: Jersey closes a body once it has read an entity from it,
     * which may stop short of the end (a JSON document's trailing whitespace, a body refused as too
     * large), and {@link #drain} still has to read that rest.
     */
    @Override
    public void close() {}

    /**
     * Reads the rest, up to about {@code limit} bytes (one buffer more at most); true if the body's
     * end was reached.
     */
    boolean drain(int limit) {
      try {
        // Most readers stop at the end of their document: one read finds the end, no buffer.
        if (ended || read() < 0) {
          return true;
        }
        byte[] buffer = new byte[8192];
        for (int read = 1; !ended && read <= limit; ) {
          read += Math.max(0, read(buffer, 0, buffer.length));
        }
      } catch (IOException | RuntimeException e) {
        // Closed, broken or already consumed elsewhere: the connection cannot be trusted.
        return false;
      }
      return ended;
    }
  }
}
