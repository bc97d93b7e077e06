package io.tracetics.engine.store;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import org.duckdb.DuckDBAppender;
import org.duckdb.DuckDBConnection;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The analytic store: one DuckDB database (a file, or in memory for tests) holding every app's
 * events.
 *
 * <p>One process owns the file. Inside it, one loader writes through {@link #load} (serialised by
 * this object) while any number of readers query through connections from {@link #openReader()}
 * ({@code duplicate()} of the root connection, so they share the instance and its limits). DuckDB's
 * MVCC gives each reader transaction a consistent snapshot.
 *
 * <p>The instance is locked when it opens ({@code store/lockdown.sql}): no file, network or
 * extension access from SQL and no setting changes, for every connection (DuckDB applies them to
 * the whole instance), so that tenants' exploration queries can run on reader connections. Loading
 * is unaffected.
 */
public final class AnalyticsStore implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(AnalyticsStore.class);

  private final StoreConfig config;
  private final DuckDBConnection root;
  private final DuckDBConnection writer;
  private LoadStatements load; // guarded by loadLock

  /** Apps with a row in app_watermarks as of the last committed load; guarded by loadLock. */
  private final Set<Long> watermarkedApps;

  private final Object loadLock = new Object();
  private final boolean nativeFunnel;
  private final LoadCommitHook commitHook;

  /**
   * The committed load position of each stream read or written through this store. The store is the
   * file's only writer (DuckDB locks the file to one process, and only {@link #load} changes
   * positions), and positions only grow, so the larger of two values is always the current one.
   * Saves the loader, which asks before every run, a DuckDB query each time.
   */
  private final ConcurrentHashMap<String, Long> positions = new ConcurrentHashMap<>();

  private AnalyticsStore(
      StoreConfig config,
      DuckDBConnection root,
      DuckDBConnection writer,
      LoadStatements load,
      Set<Long> watermarkedApps,
      boolean nativeFunnel,
      LoadCommitHook commitHook) {
    this.config = config;
    this.commitHook = commitHook;
    this.watermarkedApps = watermarkedApps;
    this.nativeFunnel = nativeFunnel;
    this.root = root;
    this.writer = writer;
    this.load = load;
  }

  /**
   * The loader's statements, prepared once on the writer connection: a load is a handful of small
   * statements, and parsing and planning them again every time cost DuckDB more than running them.
   * After a failed load they are prepared again (the driver may have closed the one that failed).
   */
  private static final class LoadStatements implements AutoCloseable {
    final PreparedStatement advancePosition;
    final PreparedStatement recordPosition;
    final PreparedStatement rejectBadMetadata;
    final PreparedStatement addNewUsers;
    final PreparedStatement dropStoredRows;
    final PreparedStatement moveNewRows;
    final PreparedStatement addWatermarkRows;
    final PreparedStatement addToWatermarks;
    final PreparedStatement clearStaging;
    final PreparedStatement linkState;
    final PreparedStatement mergeUsers;
    final PreparedStatement mergeEvents;
    final PreparedStatement clearLinks;
    final PreparedStatement clearMerges;
    final PreparedStatement applyTraits;
    final PreparedStatement clearTraits;
    final PreparedStatement addWatermarkRow;
    final PreparedStatement bumpIdentityVersion;
    final PreparedStatement deleteCohortMembers;

    LoadStatements(Connection writer) throws SQLException {
      advancePosition = writer.prepareStatement(SqlResources.get("store/advance_position"));
      recordPosition = writer.prepareStatement(SqlResources.get("store/record_position"));
      rejectBadMetadata = writer.prepareStatement(SqlResources.get("store/reject_bad_metadata"));
      addNewUsers = writer.prepareStatement(SqlResources.get("store/add_new_users"));
      dropStoredRows = writer.prepareStatement(SqlResources.get("store/drop_stored_rows"));
      moveNewRows = writer.prepareStatement(SqlResources.get("store/move_new_rows"));
      addWatermarkRows = writer.prepareStatement(SqlResources.get("store/add_watermark_rows"));
      addToWatermarks = writer.prepareStatement(SqlResources.get("store/add_to_watermarks"));
      clearStaging = writer.prepareStatement(SqlResources.get("store/clear_staging"));
      linkState = writer.prepareStatement(SqlResources.get("store/link_state"));
      mergeUsers = writer.prepareStatement(SqlResources.get("store/merge_users"));
      mergeEvents = writer.prepareStatement(SqlResources.get("store/merge_events"));
      clearLinks = writer.prepareStatement(SqlResources.get("store/clear_links"));
      clearMerges = writer.prepareStatement(SqlResources.get("store/clear_merges"));
      applyTraits = writer.prepareStatement(SqlResources.get("store/apply_traits"));
      clearTraits = writer.prepareStatement(SqlResources.get("store/clear_traits"));
      addWatermarkRow = writer.prepareStatement(SqlResources.get("store/add_watermark_row"));
      bumpIdentityVersion =
          writer.prepareStatement(SqlResources.get("store/bump_identity_version"));
      deleteCohortMembers =
          writer.prepareStatement(SqlResources.get("store/delete_cohort_members"));
    }

    @Override
    public void close() throws SQLException {
      for (PreparedStatement ps :
          List.of(
              advancePosition,
              recordPosition,
              rejectBadMetadata,
              addNewUsers,
              dropStoredRows,
              moveNewRows,
              addWatermarkRows,
              addToWatermarks,
              clearStaging,
              linkState,
              mergeUsers,
              mergeEvents,
              clearLinks,
              clearMerges,
              applyTraits,
              clearTraits,
              addWatermarkRow,
              bumpIdentityVersion,
              deleteCohortMembers)) {
        ps.close();
      }
    }
  }

  /** Opens (creating if needed) the database described by {@code config}. */
  public static AnalyticsStore open(StoreConfig config) {
    return open(config, LoadCommitHook.NONE);
  }

  /**
   * Opens (creating if needed) the database described by {@code config}; {@code commitHook} is told
   * about every load right before it commits.
   */
  public static AnalyticsStore open(StoreConfig config, LoadCommitHook commitHook) {
    Objects.requireNonNull(config, "config");
    Objects.requireNonNull(commitHook, "commitHook");
    Properties props = new Properties();
    props.setProperty("memory_limit", config.memoryLimit());
    props.setProperty("threads", Integer.toString(config.threads()));
    config.tempDirectory().ifPresent(dir -> props.setProperty("temp_directory", dir.toString()));
    // Our own extension is unsigned. Loading it is allowed only until the lockdown below, which
    // blocks every LOAD from SQL (enable_external_access=false, lock_configuration).
    Optional<Path> extension = config.nativeFunnel() ? NativeFunnel.file() : Optional.<Path>empty();
    extension.ifPresent(file -> props.setProperty("allow_unsigned_extensions", "true"));
    String url = "jdbc:duckdb:" + config.file().map(p -> p.toAbsolutePath().toString()).orElse("");
    try {
      DuckDBConnection root = (DuckDBConnection) DriverManager.getConnection(url, props);
      boolean nativeFunnel;
      try (Statement st = root.createStatement()) {
        for (String ddl : SqlResources.statements("store/schema")) {
          st.execute(ddl);
        }
        long cap = StoreConfig.bytes(config.nativeFunnelMemory());
        nativeFunnel = extension.map(file -> NativeFunnel.load(st, file, cap)).orElse(false);
        // Sandbox the whole instance for tenants' SQL: must come after the schema.
        for (String setting : SqlResources.statements("store/lockdown")) {
          st.execute(setting);
        }
      }
      DuckDBConnection writer = root.duplicate();
      try (Statement st = writer.createStatement()) {
        for (String ddl : SqlResources.statements("store/staging")) {
          st.execute(ddl);
        }
      }
      LoadStatements load = new LoadStatements(writer);
      Set<Long> watermarkedApps = new HashSet<>();
      try (Statement st = writer.createStatement();
          ResultSet rs = st.executeQuery(SqlResources.get("store/watermarked_apps"))) {
        while (rs.next()) {
          watermarkedApps.add(rs.getLong(1));
        }
      }
      LOG.info(
          "Analytic store open: {} (memory_limit={}, threads={}, native funnel aggregate: {})",
          config.file().map(Object::toString).orElse("in-memory"),
          config.memoryLimit(),
          config.threads(),
          nativeFunnel ? "loaded" : "not loaded");
      return new AnalyticsStore(
          config, root, writer, load, watermarkedApps, nativeFunnel, commitHook);
    } catch (SQLException e) {
      throw new StoreException("cannot open the analytic store " + url, e);
    }
  }

  public StoreConfig config() {
    return config;
  }

  /**
   * Whether this store's DuckDB has the engine's native funnel aggregate loaded, so that {@code
   * FunnelPlanner.forStore(this)} may plan with it (engine-sql/README.md "The native aggregate").
   */
  public boolean nativeFunnel() {
    return nativeFunnel;
  }

  /**
   * A new connection for one reader (a funnel query, an exploration). The caller closes it. Safe to
   * use while {@link #load} runs on another thread.
   */
  public Connection openReader() {
    try {
      return root.duplicate();
    } catch (SQLException e) {
      throw new StoreException("cannot open a reader connection", e);
    }
  }

  /**
   * Appends a batch exactly once, atomically with the stream's load position.
   *
   * <p>In one transaction: records {@code position} for {@code loadStream} (monotonic: a lower
   * position than the stored one leaves it unchanged), appends the rows into a staging table with
   * the Appender, takes out the rows whose metadata is not a JSON object (returned in {@link
   * LoadResult#rejected}), adds the batch's new users to the user dictionary, moves into {@code
   * events} only the event ids not already present (a repeated or overlapping batch changes
   * nothing; an id repeated inside the batch is stored once), adds them to their apps' watermarks,
   * commits. On any failure nothing of it is visible.
   */
  public LoadResult load(String loadStream, long position, List<EventRow> rows) {
    return load(loadStream, position, rows, List.of(), rejected -> {});
  }

  /**
   * {@link #load(String, long, List)}, handing the rejected rows (event id to reason) to {@code
   * beforeCommit} inside the load, right before it commits, when there are any: the caller records
   * them (the loader quarantines them in MariaDB) so that a load commits only with its rejects
   * recorded. If {@code beforeCommit} throws, the load rolls back and the exception propagates.
   */
  public LoadResult load(
      String loadStream,
      long position,
      List<EventRow> rows,
      Consumer<Map<Long, String>> beforeCommit) {
    return load(loadStream, position, rows, List.of(), beforeCommit);
  }

  /**
   * {@link #load(String, long, List, Consumer)} with identity links, applied in the same
   * transaction after the rows: each link that {@link IdentityMerges} accepts makes its anonymous
   * id an alias of the user's person, in the user dictionary and in every event of that id, past
   * ones and the batch's own ({@code person_key}). A replayed load applies its links again, which
   * changes nothing: a merged id is no longer anyone's to take.
   */
  public LoadResult load(
      String loadStream,
      long position,
      List<EventRow> rows,
      List<IdentityLink> links,
      Consumer<Map<Long, String>> beforeCommit) {
    return load(loadStream, position, rows, links, List.of(), beforeCommit);
  }

  /**
   * {@link #load(String, long, List, List, Consumer)} with cohort changes, applied in the same
   * transaction after the links, in their order: a creation writes the cohort's members into {@code
   * cohort_members} (replacing any it held), a deletion removes them. Like links, they apply only
   * with a load that moves the stream forward.
   */
  public LoadResult load(
      String loadStream,
      long position,
      List<EventRow> rows,
      List<IdentityLink> links,
      List<CohortChange> cohorts,
      Consumer<Map<Long, String>> beforeCommit) {
    Objects.requireNonNull(loadStream, "loadStream");
    Objects.requireNonNull(rows, "rows");
    Objects.requireNonNull(links, "links");
    Objects.requireNonNull(cohorts, "cohorts");
    Objects.requireNonNull(beforeCommit, "beforeCommit");
    synchronized (loadLock) {
      try {
        writer.setAutoCommit(false);
        try {
          // A statement must run first: DuckDB begins the transaction lazily, and an Appender used
          // before any statement would make its rows visible before the commit.
          OptionalLong before = position(loadStream);
          long stored = advancePosition(loadStream, position);
          // Identifies apply once, with the load that moves the stream past them: a replayed load
          // (same or older position) would patch traits again over later ones.
          boolean advances = before.isEmpty() || position > before.getAsLong();
          if (!advances) {
            links = List.of();
            cohorts = List.of();
          }
          long inserted = 0;
          Map<Long, String> rejected = new LinkedHashMap<>();
          Set<Long> apps = new HashSet<>();
          if (!links.isEmpty()) {
            stageLinks(links);
          }
          if (!rows.isEmpty()) {
            List<EventRow> unique = distinctById(rows);
            long minId = unique.get(0).id();
            long maxId = unique.get(unique.size() - 1).id();
            try (DuckDBAppender app = writer.createAppender("temp", "main", "load_staging")) {
              for (EventRow r : unique) {
                apps.add(r.appId());
                app.beginRow()
                    .append(r.id())
                    .append(r.appId())
                    .append(r.userIdentifier())
                    .append(r.eventName())
                    .append(r.eventTimeMillis())
                    .append(r.receivedAtMillis());
                if (r.metadataJson() == null) {
                  app.appendNull();
                } else {
                  app.append(r.metadataJson());
                }
                app.endRow();
              }
              app.flush();
            }
            // Before any row leaves staging: every app of the batch gets its row.
            if (!watermarkedApps.containsAll(apps)) {
              load.addWatermarkRows.executeUpdate();
            }
            try (ResultSet bad = load.rejectBadMetadata.executeQuery()) {
              while (bad.next()) {
                rejected.put(bad.getLong(1), bad.getString(2));
              }
            }
            load.addNewUsers.execute();
            load.dropStoredRows.setLong(1, minId);
            load.dropStoredRows.setLong(2, maxId);
            load.dropStoredRows.executeUpdate();
            inserted = load.moveNewRows.executeUpdate();
            load.addToWatermarks.executeUpdate();
            load.clearStaging.execute();
          }
          long merged = 0;
          if (!links.isEmpty()) {
            if (rows.isEmpty()) {
              load.addNewUsers.execute();
            }
            merged = applyLinks(links);
          }
          if (!cohorts.isEmpty()) {
            applyCohorts(cohorts);
          }
          if (!rejected.isEmpty()) {
            beforeCommit.accept(Collections.unmodifiableMap(rejected));
          }
          commitHook.beforeCommit(loadStream, stored);
          writer.commit();
          watermarkedApps.addAll(apps);
          positions.merge(loadStream, stored, Math::max);
          return new LoadResult(
              inserted, rows.size() - inserted - rejected.size(), stored, rejected, merged);
        } catch (SQLException | RuntimeException e) {
          writer.rollback();
          load.close();
          load = new LoadStatements(writer);
          throw e;
        } finally {
          writer.setAutoCommit(true);
        }
      } catch (SQLException e) {
        throw new StoreException(
            "load of " + rows.size() + " rows for " + loadStream + " failed", e);
      }
    }
  }

  private void stageLinks(List<IdentityLink> links) throws SQLException {
    try (DuckDBAppender app = writer.createAppender("temp", "main", "link_staging")) {
      for (IdentityLink l : links) {
        app.beginRow().append(l.appId());
        if (l.anonymousId() == null) {
          app.appendNull();
        } else {
          app.append(l.anonymousId());
        }
        app.append(l.userIdentifier()).endRow();
      }
      app.flush();
    }
  }

  /**
   * Applies the staged links (their users already in the dictionary): the merges {@link
   * IdentityMerges} accepts and the traits ({@link PersonTraits}), in the links' order; a changed
   * app gets a new identity version. Returns the merges made.
   */
  private long applyLinks(List<IdentityLink> links) throws SQLException {
    Map<IdentityMerges.Id, IdentityMerges.State> states = new HashMap<>();
    Map<Long, String> traits = new HashMap<>();
    Map<Long, Long> appOfKey = new HashMap<>();
    try (ResultSet rs = load.linkState.executeQuery()) {
      while (rs.next()) {
        long key = rs.getLong(3);
        states.put(
            new IdentityMerges.Id(rs.getLong(1), rs.getString(2)),
            new IdentityMerges.State(key, rs.getLong(4), rs.getBoolean(5)));
        traits.put(key, rs.getString(6));
        appOfKey.put(key, rs.getLong(1));
      }
    }
    List<IdentityMerges.Step> steps = IdentityMerges.resolve(links, states);
    List<IdentityMerges.Merge> merges = new ArrayList<>();
    Set<Long> changedKeys = new LinkedHashSet<>();
    Set<Long> changedApps = new TreeSet<>();
    for (int i = 0; i < steps.size(); i++) {
      IdentityMerges.Step step = steps.get(i);
      IdentityMerges.Merge merge = step.merge();
      if (merge != null) {
        merges.add(merge);
        changedApps.add(merge.appId());
        String aliasTraits = traits.get(merge.aliasKey());
        if (aliasTraits != null) {
          traits.put(
              merge.personKey(), PersonTraits.absorb(traits.get(merge.personKey()), aliasTraits));
          traits.put(merge.aliasKey(), null);
          changedKeys.add(merge.personKey());
          changedKeys.add(merge.aliasKey());
        }
      }
      String patch = links.get(i).traitsJson();
      if (patch != null) {
        String before = traits.get(step.personKey());
        String after = PersonTraits.patch(before, patch);
        if (!Objects.equals(before, after)) {
          traits.put(step.personKey(), after);
          changedKeys.add(step.personKey());
          changedApps.add(links.get(i).appId());
        }
      }
    }
    if (!merges.isEmpty()) {
      try (DuckDBAppender app = writer.createAppender("temp", "main", "merge_staging")) {
        for (IdentityMerges.Merge m : merges) {
          app.beginRow().append(m.appId()).append(m.aliasKey()).append(m.personKey()).endRow();
        }
        app.flush();
      }
      load.mergeUsers.executeUpdate();
      load.mergeEvents.executeUpdate();
      load.clearMerges.execute();
    }
    if (!changedKeys.isEmpty()) {
      try (DuckDBAppender app = writer.createAppender("temp", "main", "traits_staging")) {
        for (long key : changedKeys) {
          app.beginRow().append(appOfKey.get(key)).append(key);
          String t = traits.get(key);
          if (t == null) {
            app.appendNull();
          } else {
            app.append(t);
          }
          app.endRow();
        }
        app.flush();
      }
      load.applyTraits.executeUpdate();
      load.clearTraits.execute();
    }
    for (long appId : changedApps) {
      load.addWatermarkRow.setLong(1, appId);
      load.addWatermarkRow.setLong(2, appId);
      load.addWatermarkRow.executeUpdate();
      load.bumpIdentityVersion.setLong(1, appId);
      load.bumpIdentityVersion.executeUpdate();
    }
    load.clearLinks.execute();
    return merges.size();
  }

  /** Applies cohort changes in order: each replaces (creation) or removes (deletion) members. */
  private void applyCohorts(List<CohortChange> cohorts) throws SQLException {
    for (CohortChange change : cohorts) {
      load.deleteCohortMembers.setLong(1, change.cohortId());
      load.deleteCohortMembers.executeUpdate();
      if (!change.members().isEmpty()) {
        try (DuckDBAppender app = writer.createAppender("main", "cohort_members")) {
          for (String member : change.members()) {
            app.beginRow().append(change.appId()).append(change.cohortId()).append(member).endRow();
          }
          app.flush();
        }
      }
    }
  }

  /**
   * Moves the stream's position forward (never back) in the open load transaction and returns the
   * stored position.
   */
  private long advancePosition(String loadStream, long position) throws SQLException {
    load.advancePosition.setLong(1, position);
    load.advancePosition.setString(2, loadStream);
    try (ResultSet rs = load.advancePosition.executeQuery()) {
      if (rs.next()) {
        return rs.getLong(1);
      }
    }
    load.recordPosition.setString(1, loadStream);
    load.recordPosition.setLong(2, position);
    load.recordPosition.executeUpdate();
    return position;
  }

  /** The rows sorted by id, keeping the first row of each id (repeats inside a batch). */
  private static List<EventRow> distinctById(List<EventRow> rows) {
    List<EventRow> sorted = new ArrayList<>(rows);
    sorted.sort(Comparator.comparingLong(EventRow::id));
    List<EventRow> out = new ArrayList<>(sorted.size());
    for (EventRow r : sorted) {
      if (out.isEmpty() || out.get(out.size() - 1).id() != r.id()) {
        out.add(r);
      }
    }
    return out;
  }

  /** The last position recorded for {@code loadStream}, empty if none was. */
  public OptionalLong position(String loadStream) {
    Long known = positions.get(loadStream);
    if (known != null) {
      return OptionalLong.of(known);
    }
    try (Connection c = openReader()) {
      OptionalLong stored = readPosition(c, loadStream);
      if (stored.isPresent()) {
        return OptionalLong.of(positions.merge(loadStream, stored.getAsLong(), Math::max));
      }
      return stored;
    } catch (SQLException e) {
      throw new StoreException("cannot read the load position of " + loadStream, e);
    }
  }

  /** Number of stored events of an app. */
  public long count(long appId) {
    return watermark(appId).eventCount();
  }

  /** The watermark of an app's events, read in its own transaction. */
  public Watermark watermark(long appId) {
    try (Connection c = openReader()) {
      return watermark(c, appId);
    } catch (SQLException e) {
      throw new StoreException("cannot read the watermark of app " + appId, e);
    }
  }

  /**
   * The watermark of an app as seen by {@code connection}'s current transaction: one row the loader
   * keeps with the events (store/schema.sql {@code app_watermarks}), not a scan of them.
   */
  public static Watermark watermark(Connection connection, long appId) throws SQLException {
    try (PreparedStatement ps = connection.prepareStatement(SqlResources.get("store/watermark"))) {
      ps.setLong(1, appId);
      try (ResultSet rs = ps.executeQuery()) {
        if (!rs.next()) {
          return Watermark.EMPTY; // an app never loaded has no row
        }
        long count = rs.getLong(1);
        long identityVersion = rs.getLong(4);
        if (count == 0) {
          return new Watermark(0, OptionalLong.empty(), Optional.empty(), identityVersion);
        }
        return new Watermark(
            count,
            OptionalLong.of(rs.getLong(2)),
            Optional.of(Instant.ofEpochMilli(rs.getLong(3))),
            identityVersion);
      }
    }
  }

  /**
   * {@link AppActivity} of each app in {@code appIds} (counting receipts at or after {@code
   * sinceMs}) and the load position of {@code loadStream}, all read in one transaction (one
   * snapshot, see {@link StoreActivity}).
   */
  public StoreActivity activity(String loadStream, Collection<Long> appIds, long sinceMs) {
    Map<Long, AppActivity> activity = new LinkedHashMap<>();
    try (Connection c = openReader()) {
      c.setAutoCommit(false);
      try (PreparedStatement ps = c.prepareStatement(SqlResources.get("store/app_activity"))) {
        OptionalLong position = readPosition(c, loadStream);
        for (long appId : appIds) {
          ps.setLong(1, appId);
          ps.setLong(2, appId);
          ps.setLong(3, sinceMs);
          ps.setLong(4, appId);
          try (ResultSet rs = ps.executeQuery()) {
            rs.next();
            long events = rs.getLong(1);
            long newest = rs.getLong(2);
            Optional<Instant> newestAt =
                rs.wasNull() ? Optional.empty() : Optional.of(Instant.ofEpochMilli(newest));
            activity.put(appId, new AppActivity(events, newestAt, rs.getLong(3)));
          }
        }
        return new StoreActivity(position, activity);
      } finally {
        c.rollback(); // read only: nothing to keep
      }
    } catch (SQLException e) {
      throw new StoreException("cannot read the apps' activity", e);
    }
  }

  private static OptionalLong readPosition(Connection c, String loadStream) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(SqlResources.get("store/position"))) {
      ps.setString(1, loadStream);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() ? OptionalLong.of(rs.getLong(1)) : OptionalLong.empty();
      }
    }
  }

  /** Writes the database to its file (DuckDB also checkpoints on its own). */
  public void checkpoint() {
    synchronized (loadLock) {
      try (Statement st = writer.createStatement()) {
        st.execute("CHECKPOINT");
      } catch (SQLException e) {
        throw new StoreException("checkpoint failed", e);
      }
    }
  }

  @Override
  public void close() {
    synchronized (loadLock) {
      try {
        load.close();
        writer.close();
        root.close();
      } catch (SQLException e) {
        throw new StoreException("cannot close the analytic store", e);
      }
    }
  }
}
