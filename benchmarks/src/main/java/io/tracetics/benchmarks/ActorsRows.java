package io.tracetics.benchmarks;

import io.tracetics.actors.ActorAnswer;
import io.tracetics.actors.ActorWriters;
import io.tracetics.engine.exec.ActorList;
import io.tracetics.engine.exec.ActorsExecutor;
import io.tracetics.engine.exec.FunnelExecutor;
import io.tracetics.engine.explore.ExploreLimits;
import io.tracetics.engine.explore.ReadOnlySqlRunner;
import io.tracetics.engine.plan.ActorsPlan;
import io.tracetics.engine.plan.FunnelPlan;
import io.tracetics.engine.plan.FunnelPlanner;
import io.tracetics.engine.query.ActorCell;
import io.tracetics.engine.query.FunnelQuery;
import io.tracetics.engine.store.AnalyticsStore;
import io.tracetics.explore.ExploreAnswer;
import io.tracetics.explore.ExploreResource;
import io.tracetics.explore.ExploreWriters;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.MultivaluedHashMap;
import jakarta.ws.rs.ext.MessageBodyWriter;
import java.io.IOException;
import java.io.OutputStream;
import java.lang.annotation.Annotation;
import java.time.Duration;
import java.util.List;

/**
 * The actors cases of the funnel benchmark: the people of a report cell, through the service's own
 * code below HTTP (the engine's plans and executors, and the endpoints' CSV writers), against the
 * report itself and against the SQL endpoint's path for a plain {@code SELECT user_identifier} of
 * as many rows.
 *
 * <ul>
 *   <li>first page: the JSON default page (100 people) of a cell, in rounds paired with the report
 *       of the same funnel (the report runs first in each round);
 *   <li>the whole dropped list as CSV (every person of the cell, written by the actors endpoint's
 *       CSV writer to a counting sink), paired with {@code SELECT user_identifier FROM events LIMIT
 *       n} through the SQL endpoint's runner and CSV writer, n the list's size (the SQL endpoint's
 *       row cap raised to n for it).
 * </ul>
 */
final class ActorsRows {
  private final AnalyticsStore store;
  private final FunnelPlanner planner;
  private final FunnelExecutor executor = new FunnelExecutor();
  private final ActorsExecutor actors = new ActorsExecutor();

  ActorsRows(AnalyticsStore store, FunnelPlanner planner) {
    this.store = store;
    this.planner = planner;
  }

  /** The report of {@code query}. */
  TimedRounds.Work report(FunnelQuery query) {
    FunnelPlan plan = planner.plan(query);
    return () -> executor.execute(store, plan);
  }

  /** The first JSON page of {@code cell} (100 people), read to its end. */
  TimedRounds.Work firstPage(FunnelQuery query, ActorCell cell) {
    ActorsPlan plan = planner.actors(query, cell);
    return () -> {
      try (ActorList list = actors.open(store, plan, ActorsExecutor.START, 100)) {
        int n = 0;
        while (list.next()) {
          n++;
        }
        if (n == 0) {
          throw new IllegalStateException("an empty cell measures nothing");
        }
      }
    };
  }

  /** How many people {@code cell} holds. */
  long size(FunnelQuery query, ActorCell cell) {
    try (ActorList list =
        actors.open(store, planner.actors(query, cell), ActorsExecutor.START, 1)) {
      return list.total();
    }
  }

  /** The whole cell as the actors endpoint's CSV; returns the bytes written. */
  TimedRounds.Work wholeCsv(FunnelQuery query, ActorCell cell, long[] bytes) {
    ActorsPlan plan = planner.actors(query, cell);
    MessageBodyWriter<ActorAnswer> csv = csvWriter(ActorWriters.all());
    List<String> names = query.steps().stream().map(s -> s.label()).toList();
    return () -> {
      ActorList list = actors.open(store, plan, ActorsExecutor.START, Long.MAX_VALUE);
      Counting out = new Counting();
      csv.writeTo(
          new ActorAnswer(list, names, 0),
          ActorAnswer.class,
          ActorAnswer.class,
          new Annotation[0],
          ExploreResource.CSV_TYPE,
          new MultivaluedHashMap<>(),
          out);
      bytes[0] = out.count;
    };
  }

  /**
   * {@code SELECT user_identifier FROM events LIMIT rows} through the SQL endpoint's path, as CSV.
   */
  TimedRounds.Work sqlCsv(long appId, long rows, long[] bytes) {
    ReadOnlySqlRunner runner =
        new ReadOnlySqlRunner(
            store, new ExploreLimits(Duration.ofMinutes(10), (int) rows, 4, 10_000));
    MessageBodyWriter<ExploreAnswer> csv = csvWriter(ExploreWriters.all());
    String sql = "SELECT user_identifier FROM events LIMIT " + rows;
    return () -> {
      Counting out = new Counting();
      csv.writeTo(
          new ExploreAnswer(runner.open(appId, sql)),
          ExploreAnswer.class,
          ExploreAnswer.class,
          new Annotation[0],
          ExploreResource.CSV_TYPE,
          new MultivaluedHashMap<>(),
          out);
      bytes[0] = out.count;
    };
  }

  /** The writer among {@code writers} that produces CSV, as Jersey would pick it. */
  @SuppressWarnings("unchecked")
  private static <T> MessageBodyWriter<T> csvWriter(List<Object> writers) {
    for (Object w : writers) {
      Produces produces = w.getClass().getAnnotation(Produces.class);
      if (produces != null
          && MediaType.valueOf(produces.value()[0]).isCompatible(ExploreResource.CSV_TYPE)) {
        return (MessageBodyWriter<T>) w;
      }
    }
    throw new IllegalStateException("no CSV writer");
  }

  /** A sink that counts the bytes it is given. */
  private static final class Counting extends OutputStream {
    long count;

    @Override
    public void write(int b) {
      count++;
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
      count += len;
    }
  }
}
