package io.tracetics.benchmarks;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * One kind of request sent to one server ({@code request} is a complete HTTP/1.1 request carrying
 * {@code eventsPerRequest} events), and the two ways the benchmark drives it: a closed loop and a
 * paced (open) loop.
 */
record Load(int port, byte[] request, int eventsPerRequest) {

  /** {@code clients} connections, each sending as fast as responses come back. */
  LoadResult closedLoop(int clients, int seconds) throws InterruptedException {
    long[][] latencies = new long[clients][];
    int[] failures = new int[clients];
    String[] firstFailure = new String[1];
    List<Thread> threads = new ArrayList<>();
    long start = System.nanoTime();
    long end = start + TimeUnit.SECONDS.toNanos(seconds);
    for (int c = 0; c < clients; c++) {
      int client = c;
      Thread thread =
          new Thread(
              () -> {
                long[] mine = new long[1 << 16];
                int n = 0;
                try (RawHttpClient http = new RawHttpClient(port)) {
                  for (long sendAt; (sendAt = System.nanoTime()) < end; ) {
                    int status = http.send(request);
                    long done = System.nanoTime();
                    if (status != 200) {
                      failures[client]++;
                      if (firstFailure[0] == null) {
                        firstFailure[0] = status + " " + http.lastBody();
                      }
                      continue;
                    }
                    if (n == mine.length) {
                      mine = Arrays.copyOf(mine, n * 2);
                    }
                    mine[n++] = done - sendAt;
                  }
                } catch (IOException e) {
                  firstFailure[0] = e.toString();
                }
                latencies[client] = Arrays.copyOf(mine, n);
              });
      threads.add(thread);
      thread.start();
    }
    for (Thread thread : threads) {
      thread.join();
    }
    double elapsed = (System.nanoTime() - start) / 1e9;
    long[] all = new long[Arrays.stream(latencies).mapToInt(mine -> mine.length).sum()];
    int at = 0;
    for (long[] mine : latencies) {
      System.arraycopy(mine, 0, all, at, mine.length);
      at += mine.length;
    }
    Arrays.sort(all);
    return LoadResult.of(
        all, eventsPerRequest, elapsed, Arrays.stream(failures).sum(), firstFailure[0]);
  }

  /**
   * Paced load at {@code requestsPerSecond} in total from one selector thread ({@link PacedLoad});
   * latency counts from the scheduled send time, so a stalled server is not hidden (no coordinated
   * omission).
   */
  LoadResult pacedLoop(int clients, double requestsPerSecond, int seconds) throws Exception {
    PacedLoad.Outcome outcome = PacedLoad.run(port, request, clients, requestsPerSecond, seconds);
    return LoadResult.of(
        outcome.latencies(),
        eventsPerRequest,
        outcome.seconds(),
        outcome.failed(),
        outcome.firstFailure());
  }
}
