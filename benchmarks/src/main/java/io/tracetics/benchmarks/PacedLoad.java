package io.tracetics.benchmarks;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.PriorityQueue;
import java.util.concurrent.TimeUnit;

/**
 * Open-loop (paced) load from one thread: {@code connections} keep-alive connections, each with its
 * own send schedule, served by one selector. A request whose connection is still waiting for the
 * previous answer goes out as soon as that answer is in, and its latency still counts from its
 * scheduled time, so a stalled server is not hidden (no coordinated omission).
 *
 * <p>Why not a thread per connection like the closed loops: a paced request arrives on an idle
 * connection, so a sleeping client thread has to be woken for every send and again for every
 * answer, CPU taken from the server whose latency is measured when both share a small machine. One
 * thread that waits in the selector costs a fraction of that.
 */
final class PacedLoad {
  private PacedLoad() {}

  /** The outcome: latencies in nanoseconds (sorted), answers that were not 200, one example. */
  record Outcome(long[] latencies, int failed, String firstFailure, double seconds) {}

  static Outcome run(
      int port, byte[] request, int connections, double requestsPerSecond, int seconds)
      throws IOException {
    long intervalNanos = (long) (1e9 * connections / requestsPerSecond);
    List<Connection> all = new ArrayList<>();
    PriorityQueue<Connection> idle =
        new PriorityQueue<>((a, b) -> Long.compare(a.nextSend, b.nextSend));
    long[] latencies = new long[1 << 16];
    int count = 0;
    int failed = 0;
    String firstFailure = null;
    try (Selector selector = Selector.open()) {
      for (int c = 0; c < connections; c++) {
        SocketChannel channel = SocketChannel.open(new InetSocketAddress("127.0.0.1", port));
        channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
        channel.configureBlocking(false);
        Connection connection = new Connection(channel);
        channel.register(selector, SelectionKey.OP_READ, connection);
        all.add(connection);
      }
      long start = System.nanoTime();
      long end = start + TimeUnit.SECONDS.toNanos(seconds);
      for (int c = 0; c < connections; c++) {
        Connection connection = all.get(c);
        connection.nextSend = start + intervalNanos * c / connections;
        idle.add(connection);
      }
      int inFlight = 0;
      while (true) {
        long now = System.nanoTime();
        while (!idle.isEmpty() && idle.peek().nextSend <= now) {
          Connection connection = idle.poll();
          if (connection.nextSend >= end) {
            continue; // this connection's schedule is over
          }
          connection.send(request);
          connection.scheduled = connection.nextSend;
          connection.nextSend += intervalNanos;
          inFlight++;
        }
        if (inFlight == 0 && idle.isEmpty()) {
          break;
        }
        long waitNanos = idle.isEmpty() ? Long.MAX_VALUE : idle.peek().nextSend - now;
        if (waitNanos <= 0) {
          selector.selectNow();
        } else {
          // Millisecond resolution: a send may go out up to a millisecond late, which its
          // latency (counted from the schedule) then includes.
          selector.select(Math.max(1, Math.min(1_000, TimeUnit.NANOSECONDS.toMillis(waitNanos))));
        }
        var selected = selector.selectedKeys();
        for (SelectionKey key : selected) {
          Connection connection = (Connection) key.attachment();
          int status = connection.receive();
          if (status == 0) {
            continue; // the answer is not complete yet
          }
          long done = System.nanoTime();
          inFlight--;
          if (status == 200) {
            if (count == latencies.length) {
              latencies = Arrays.copyOf(latencies, count * 2);
            }
            latencies[count++] = done - connection.scheduled;
          } else {
            failed++;
            if (firstFailure == null) {
              firstFailure = status + " " + connection.lastAnswer();
            }
          }
          idle.add(connection);
        }
        selected.clear();
      }
      double elapsed = (System.nanoTime() - start) / 1e9;
      long[] sorted = Arrays.copyOf(latencies, count);
      Arrays.sort(sorted);
      return new Outcome(sorted, failed, firstFailure, elapsed);
    } finally {
      for (Connection connection : all) {
        connection.channel.close();
      }
    }
  }

  /** One keep-alive connection and the answer being read on it. */
  private static final class Connection {
    final SocketChannel channel;
    final ByteBuffer in = ByteBuffer.allocate(64 * 1024);
    long nextSend;
    long scheduled;
    private String lastAnswer = "";

    Connection(SocketChannel channel) {
      this.channel = channel;
    }

    void send(byte[] request) throws IOException {
      ByteBuffer out = ByteBuffer.wrap(request);
      while (out.hasRemaining()) {
        channel.write(out); // a few hundred bytes into an empty loopback buffer: one call
      }
    }

    /** Reads what arrived; the answer's status once it is complete, else 0. */
    int receive() throws IOException {
      if (channel.read(in) < 0) {
        throw new IOException("the server closed a connection");
      }
      byte[] bytes = in.array();
      int length = in.position();
      int headEnd = indexOf(bytes, length, "\r\n\r\n".getBytes(StandardCharsets.US_ASCII), 0);
      if (headEnd < 0) {
        return 0;
      }
      String head = new String(bytes, 0, headEnd, StandardCharsets.US_ASCII);
      int bodyStart = headEnd + 4;
      int answerEnd;
      String lower = head.toLowerCase(Locale.ROOT);
      int contentLength = lower.indexOf("\r\ncontent-length:");
      if (contentLength >= 0) {
        int valueStart = contentLength + "\r\ncontent-length:".length();
        int valueEnd = lower.indexOf("\r\n", valueStart);
        String value = lower.substring(valueStart, valueEnd < 0 ? lower.length() : valueEnd);
        answerEnd = bodyStart + Integer.parseInt(value.trim());
        if (length < answerEnd) {
          return 0;
        }
      } else {
        // Chunked: the answer ends with the last, empty chunk.
        byte[] last = "\r\n0\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
        int at = indexOf(bytes, length, last, bodyStart - 2);
        if (at < 0) {
          return 0;
        }
        answerEnd = at + last.length;
      }
      int status = Integer.parseInt(head.substring(9, 12));
      lastAnswer = new String(bytes, bodyStart, answerEnd - bodyStart, StandardCharsets.UTF_8);
      // Keep anything after this answer (there is none: one request in flight per connection).
      in.limit(length).position(answerEnd);
      in.compact();
      return status;
    }

    String lastAnswer() {
      return lastAnswer;
    }

    private static int indexOf(byte[] haystack, int length, byte[] needle, int from) {
      outer:
      for (int i = Math.max(0, from); i <= length - needle.length; i++) {
        for (int j = 0; j < needle.length; j++) {
          if (haystack[i + j] != needle[j]) {
            continue outer;
          }
        }
        return i;
      }
      return -1;
    }
  }
}
