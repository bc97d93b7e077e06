package io.tracetics.importer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tracetics.testing.Commands;
import io.tracetics.testing.Commands.Result;
import io.tracetics.testing.TestJdbi;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code import} as an operator runs it: a separate JVM, the command line, a config file. */
class ImportCommandIT {
  @TempDir Path dir;

  @AfterEach
  void removeImportedEvents() {
    ImporterIT.cleanUp(TestJdbi.create());
  }

  @Test
  void theCommandImportsAFileAndPrintsASummary() throws Exception {
    Jdbi jdbi = TestJdbi.create();
    long app = ImporterIT.newApp(jdbi);
    Path file =
        ImporterIT.gzip(
            Files.writeString(
                dir.resolve("log.csv"),
                "7,101,5,pv,1511658000\n7,101,5,cart,1511658060\n8,102,5,buy,later\n",
                StandardCharsets.UTF_8),
            dir.resolve("log.csv.gz"));

    Result first =
        run(
            "import",
            "--app",
            Long.toString(app),
            "--file",
            file.toString(),
            "--no-header",
            "--columns",
            "user_id,item_id,category_id,behavior_type,timestamp",
            "--user-column",
            "user_id",
            "--event-column",
            "behavior_type",
            "--time-unit",
            "s");
    assertEquals(0, first.exit(), first.output());
    assertTrue(first.output().contains("accepted   2 (new 2, already stored 0)"), first.output());
    assertTrue(first.output().contains("rejected   1 (see " + file + ".rejects.ndjson)"));
    assertTrue(first.output().contains("rows/s"), first.output());
    assertTrue(first.output().contains("100%"), "the progress bar: " + first.output());
    String rejects = Files.readString(Path.of(file + ".rejects.ndjson"));
    assertTrue(rejects.contains("\"line\":3"), rejects);
    assertTrue(rejects.contains("\"error\":\"invalid_timestamp\""), rejects);
    assertTrue(rejects.contains("\"row\":\"8,102,5,buy,later\""), rejects);

    Result again =
        run(
            "import",
            "--app",
            Long.toString(app),
            "--file",
            file.toString(),
            "--no-header",
            "--columns",
            "user_id,item_id,category_id,behavior_type,timestamp",
            "--user-column",
            "user_id",
            "--event-column",
            "behavior_type",
            "--time-unit",
            "s");
    assertEquals(0, again.exit(), again.output());
    assertTrue(again.output().contains("accepted   2 (new 0, already stored 2)"), again.output());
    long stored =
        jdbi.withHandle(
            h ->
                h.createQuery("SELECT COUNT(*) FROM events WHERE app_id = :app")
                    .bind("app", app)
                    .mapTo(Long.class)
                    .one());
    assertEquals(2, stored);

    Result missing = run("import", "--app", "-1", "--file", file.toString());
    assertTrue(missing.exit() != 0, missing.output());
    assertTrue(missing.output().contains("App -1 does not exist"), missing.output());
  }

  @Test
  void thePresetOptionImportsAToolsExportWithItsIdentifies() throws Exception {
    Jdbi jdbi = TestJdbi.create();
    long app = ImporterIT.newApp(jdbi);
    Path file =
        Files.writeString(
            dir.resolve("mixpanel-export.txt"),
            "{\"event\":\"Viewed\",\"properties\":{\"time\":1767607200,"
                + "\"distinct_id\":\"$device:d-1\",\"$device_id\":\"d-1\",\"$insert_id\":\"c-1\"}}\n"
                + "{\"event\":\"Paid\",\"properties\":{\"time\":1767607260,\"distinct_id\":\"u_1\","
                + "\"$device_id\":\"d-1\",\"$user_id\":\"u_1\",\"$insert_id\":\"c-2\"}}\n",
            StandardCharsets.UTF_8);

    Result imported =
        run(
            "import",
            "--app",
            Long.toString(app),
            "--file",
            file.toString(),
            "--preset",
            "mixpanel");
    assertEquals(0, imported.exit(), imported.output());
    assertTrue(
        imported.output().contains("accepted   2 (new 2, already stored 0)"), imported.output());
    assertTrue(
        imported.output().contains("identifies 1 (new 1, already stored 0, refused 0)"),
        imported.output());
    assertEquals(
        List.of("d-1"),
        jdbi.withHandle(
            h ->
                h.createQuery("SELECT anonymous_id FROM identifies WHERE app_id = :app")
                    .bind("app", app)
                    .mapTo(String.class)
                    .list()));

    Result mixed =
        run(
            "import",
            "--app",
            Long.toString(app),
            "--file",
            file.toString(),
            "--preset",
            "mixpanel",
            "--user-column",
            "properties.distinct_id");
    assertTrue(mixed.exit() != 0, mixed.output());
    assertTrue(mixed.output().contains("--user-column does not apply with it"), mixed.output());
  }

  private Result run(String... args) {
    return Commands.run(dir, args);
  }
}
