package io.tracetics.engine.exec;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.tracetics.engine.plan.ActorsPlan;
import io.tracetics.engine.plan.FunnelPlan;
import io.tracetics.engine.plan.FunnelPlanner;
import io.tracetics.engine.query.ActorCell;
import io.tracetics.engine.query.FunnelQuery;
import io.tracetics.engine.query.FunnelValidator;
import io.tracetics.engine.reference.Summary;
import io.tracetics.engine.store.AnalyticsStore;
import io.tracetics.engine.store.EventRow;
import io.tracetics.engine.store.IdentityLink;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.Random;

/** Test plumbing: load events in a shuffled order through the real load API, run a funnel. */
public final class FunnelHarness {
  private static final FunnelValidator VALIDATOR = new FunnelValidator();
  private static final FunnelPlanner SQL_PLANNER = new FunnelPlanner();
  private static final FunnelPlanner NATIVE_PLANNER = new FunnelPlanner(true);
  private static final FunnelExecutor EXECUTOR = new FunnelExecutor();
  private static final ActorsExecutor ACTORS = new ActorsExecutor();

  private FunnelHarness() {}

  /**
   * Loads {@code rows} in a random order, in random batch sizes, some batches repeated (the load is
   * exactly-once, so repeats change nothing).
   */
  public static void loadShuffled(AnalyticsStore store, List<EventRow> rows, long seed) {
    loadShuffled(store, rows, List.of(), seed);
  }

  /**
   * {@link #loadShuffled(AnalyticsStore, List, long)} with identity links, which keep their order:
   * each load takes the next few of them (a repeated load repeats its links too), and a last load
   * takes those left.
   */
  public static void loadShuffled(
      AnalyticsStore store, List<EventRow> rows, List<IdentityLink> links, long seed) {
    Random random = new Random(seed);
    int link = 0;
    List<EventRow> shuffled = new ArrayList<>(rows);
    Collections.shuffle(shuffled, random);
    int i = 0;
    long position = 0;
    while (i < shuffled.size()) {
      int size = 1 + random.nextInt(Math.max(1, Math.min(5000, shuffled.size() / 3 + 1)));
      List<EventRow> batch = shuffled.subList(i, Math.min(shuffled.size(), i + size));
      int take = links.isEmpty() ? 0 : Math.min(links.size() - link, random.nextInt(4));
      List<IdentityLink> batchLinks = links.subList(link, link + take);
      link += take;
      store.load("test", ++position, batch, batchLinks, rejected -> {});
      if (random.nextInt(4) == 0) {
        store.load("test", position, batch, batchLinks, rejected -> {});
      }
      i += size;
    }
    if (link < links.size()) {
      store.load("test", ++position, List.of(), links.subList(link, links.size()), r -> {});
    }
  }

  /**
   * Runs {@code query} with the SQL plans; when the store has the native aggregate and the query
   * can use it, also with the native plan, which must give the same result (returned then).
   */
  public static FunnelResult run(AnalyticsStore store, FunnelQuery query) {
    FunnelQuery valid = VALIDATOR.requireValid(query);
    FunnelResult sql = EXECUTOR.execute(store, SQL_PLANNER.plan(valid));
    if (!store.nativeFunnel() || !NATIVE_PLANNER.usesNativePlan(valid)) {
      return sql;
    }
    FunnelPlan plan = NATIVE_PLANNER.plan(valid);
    FunnelResult nativeResult = EXECUTOR.execute(store, plan);
    assertEquals(
        Summary.of(sql).toString(),
        Summary.of(nativeResult).toString(),
        () -> "the native plan disagrees with the SQL plan for " + query);
    return nativeResult;
  }

  /** A cell's people as {@code identifier|step times} lines in list order, and its total. */
  public record ActorLines(List<String> lines, long total) {}

  /**
   * The people of {@code cell}, read page by page ({@code pageSize} at a time) with the plan the
   * store would use; every page must carry the same total. When the store has the native aggregate
   * and the query can use it, the SQL plans must give the same people.
   */
  public static ActorLines actors(
      AnalyticsStore store, FunnelQuery query, ActorCell cell, long pageSize) {
    FunnelQuery valid = VALIDATOR.requireValid(query);
    assertEquals(List.of(), cell.check(valid), "an invalid cell");
    ActorLines sql = actors(store, SQL_PLANNER.actors(valid, cell), pageSize);
    if (!store.nativeFunnel() || !NATIVE_PLANNER.usesNativePlan(valid)) {
      return sql;
    }
    ActorLines nativeLines = actors(store, NATIVE_PLANNER.actors(valid, cell), pageSize);
    assertEquals(sql, nativeLines, () -> "native and SQL actors differ for " + query + " " + cell);
    return nativeLines;
  }

  private static ActorLines actors(AnalyticsStore store, ActorsPlan plan, long pageSize) {
    List<String> lines = new ArrayList<>();
    Optional<ActorKey> after = Optional.empty();
    Long total = null;
    ActorKey lastKey = null;
    while (true) {
      try (ActorList page = ACTORS.open(store, plan, after, pageSize)) {
        if (total != null) {
          assertEquals(total.longValue(), page.total(), "the total changed between pages");
        }
        total = page.total();
        int onPage = 0;
        while (page.next()) {
          Actor a = page.actor();
          if (lastKey != null && compare(a.key(), lastKey) <= 0) {
            throw new AssertionError("actors out of order: " + a + " after key " + lastKey);
          }
          lastKey = a.key();
          lines.add(a.userIdentifier() + "|" + Arrays.toString(a.stepTimesMillis()));
          onPage++;
        }
        if (page.nextAfter().isEmpty()) {
          break;
        }
        assertEquals(pageSize, onPage, "a page before the last one is not full");
        assertEquals(lastKey, page.nextAfter().get(), "the cursor is not the page's end");
        after = page.nextAfter();
      }
    }
    return new ActorLines(lines, total);
  }

  /**
   * The order of actor keys of one kind: person keys by number, unit values by their UTF-8 bytes
   * (DuckDB's order of VARCHAR).
   */
  private static int compare(ActorKey a, ActorKey b) {
    if (a instanceof ActorKey.Person x && b instanceof ActorKey.Person y) {
      return Long.compare(x.key(), y.key());
    }
    if (a instanceof ActorKey.Unit x && b instanceof ActorKey.Unit y) {
      return Arrays.compareUnsigned(
          x.value().getBytes(StandardCharsets.UTF_8), y.value().getBytes(StandardCharsets.UTF_8));
    }
    throw new AssertionError("keys of two kinds in one list: " + a + ", " + b);
  }
}
