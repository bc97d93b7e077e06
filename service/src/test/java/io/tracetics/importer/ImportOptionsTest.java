package io.tracetics.importer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class ImportOptionsTest {

  @Test
  void aPresetReadsNdjsonWhateverTheFileName() {
    ImportOptions options =
        ImportOptions.of(1, Path.of("export.csv.gz")).withPreset(ImportPreset.MIXPANEL);
    assertEquals("ndjson", options.effectiveFormat());
    IllegalArgumentException csv =
        assertThrows(IllegalArgumentException.class, () -> options.withFormat("csv"));
    assertTrue(csv.getMessage().contains("--preset reads NDJSON"), csv.getMessage());
  }

  @Test
  void theMetadataColumnIsNdjsonsOnly() {
    assertEquals(
        "properties",
        ImportOptions.of(1, Path.of("e.jsonl")).withMetadataColumn("properties").metadataColumn());
    assertEquals("metadata", ImportOptions.of(1, Path.of("e.csv")).metadataColumn());
    IllegalArgumentException csv =
        assertThrows(
            IllegalArgumentException.class,
            () -> ImportOptions.of(1, Path.of("e.csv")).withMetadataColumn("properties"));
    assertTrue(csv.getMessage().contains("--metadata-column"), csv.getMessage());
  }

  @Test
  void presetsAreNamedAsTheOptionTakesThem() {
    assertEquals(ImportPreset.POSTHOG, ImportPreset.named("posthog"));
    assertEquals(ImportPreset.SEGMENT, ImportPreset.named("Segment"));
    IllegalArgumentException unknown =
        assertThrows(IllegalArgumentException.class, () -> ImportPreset.named("heap"));
    assertEquals(
        "--preset must be one of segment, posthog, mixpanel, amplitude", unknown.getMessage());
  }

  @Test
  void aDottedPathNeedsNamesBetweenItsDots() {
    assertEquals("properties.distinct_id", FieldPath.of("properties.distinct_id", "--x").name());
    IllegalArgumentException empty =
        assertThrows(IllegalArgumentException.class, () -> FieldPath.of("properties.", "--x"));
    assertTrue(empty.getMessage().contains("a dotted path needs a name"), empty.getMessage());
  }
}
