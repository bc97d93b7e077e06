package io.tracetics.ingest;

import static io.tracetics.ingest.IngestFixtures.event;
import static io.tracetics.ingest.IngestFixtures.keyed;
import static io.tracetics.ingest.IngestFixtures.newSender;
import static io.tracetics.ingest.IngestFixtures.rows;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tracetics.ingest.IngestFixtures.Sender;
import io.tracetics.testing.Http;
import io.tracetics.testing.ServiceProcess;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * The service runs as its own JVM; under concurrent load it is killed with SIGKILL. Every event the
 * client saw acknowledged (200) must be in MariaDB afterwards, exactly once.
 */
class IngestCrashIT {
  private static final int CLIENTS = 8;

  @Test
  void everyAcknowledgedEventSurvivesSigkill() throws Exception {
    Path dir = Files.createTempDirectory("tracetics-crash");
    ServiceProcess service =
        ServiceProcess.start(
            ServiceProcess.options("ingest-crash", dir.resolve("node")), Duration.ofSeconds(120));
    try {
      Http http = service.http();
      Sender sender = newSender(http);

      Queue<String> acknowledged = new ConcurrentLinkedQueue<>();
      AtomicBoolean stop = new AtomicBoolean();
      AtomicInteger sent = new AtomicInteger();
      List<Thread> clients = new ArrayList<>();
      for (int c = 0; c < CLIENTS; c++) {
        int client = c;
        Thread thread =
            new Thread(
                () -> {
                  for (int n = 0; !stop.get(); n++) {
                    try {
                      if (n % 5 == 4) {
                        List<Object> events = new ArrayList<>();
                        List<String> ids = new ArrayList<>();
                        for (int k = 0; k < 10; k++) {
                          String id = "crash-" + client + "-" + n + "-" + k;
                          ids.add(id);
                          events.add(event("crash", "u" + client, id));
                        }
                        sent.addAndGet(10);
                        Http.Response response =
                            keyed(http.post("/api/v1/events/batch"), sender)
                                .json(Map.of("events", events))
                                .send();
                        if (response.status() == 200
                            && response.json().get("accepted").asInt() == 10) {
                          acknowledged.addAll(ids);
                        }
                      } else {
                        String id = "crash-" + client + "-" + n;
                        sent.incrementAndGet();
                        Http.Response response =
                            keyed(http.post("/api/v1/events"), sender)
                                .body(
                                    "{\"event_name\":\"crash\",\"user_identifier\":\"u"
                                        + client
                                        + "\",\"event_id\":\""
                                        + id
                                        + "\"}")
                                .send();
                        if (response.status() == 200) {
                          acknowledged.add(id);
                        }
                      }
                    } catch (RuntimeException e) {
                      // the server died: this request was not acknowledged
                    }
                  }
                },
                "crash-client-" + c);
        clients.add(thread);
        thread.start();
      }
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
      Thread.sleep(1_500);
      while (acknowledged.size() < 500 && System.nanoTime() < deadline) {
        Thread.sleep(100);
      }
      service.kill(); // SIGKILL
      assertFalse(service.isAlive(), "killed by SIGKILL");
      stop.set(true);
      for (Thread thread : clients) {
        thread.join(TimeUnit.SECONDS.toMillis(40));
      }

      Set<String> ackedIds = new HashSet<>(acknowledged);
      assertEquals(acknowledged.size(), ackedIds.size());
      List<Map<String, Object>> stored =
          rows("SELECT client_event_id FROM events WHERE app_id = ?", sender.appId());
      Set<String> storedIds = new HashSet<>();
      for (Map<String, Object> row : stored) {
        storedIds.add((String) row.get("client_event_id"));
      }
      assertEquals(stored.size(), storedIds.size(), "no event is stored twice");
      Set<String> lost = new HashSet<>(ackedIds);
      lost.removeAll(storedIds);
      System.out.printf(
          "crash test: %d sent, %d acknowledged, %d stored, %d acknowledged but lost%n",
          sent.get(), ackedIds.size(), storedIds.size(), lost.size());
      assertTrue(ackedIds.size() >= 100, "the load ran: " + ackedIds.size() + " acknowledged");
      assertEquals(Set.of(), lost, "every acknowledged event is in MariaDB");
      assertTrue(storedIds.size() >= ackedIds.size());
    } finally {
      service.close();
    }
  }
}
