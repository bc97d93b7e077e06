package io.tracetics.importer;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ImportProgressTest {

  @Test
  void theShareReadIsScaledByTheShareOfRowsDone() {
    assertEquals(0.0, ImportProgress.fraction(0.5, 0, 0));
    assertEquals(0.25, ImportProgress.fraction(0.5, 100, 50));
    assertEquals(0.5, ImportProgress.fraction(0.5, 100, 100));
    assertEquals(0.5, ImportProgress.fraction(0.5, 100, 120)); // never past the share read
  }

  @Test
  void reportsCountDoneRowsAndFinishAtOne() {
    List<String> reports = new ArrayList<>();
    ImportCounts counts = new ImportCounts();
    ImportProgress progress =
        new ImportProgress(
            (fraction, rows) -> reports.add(fraction + "/" + rows), () -> 0.8, counts);
    counts.rows = 10;
    counts.rejected = 1;
    counts.stored.set(3);
    counts.duplicates.set(1);
    progress.report();
    progress.finish();
    assertEquals(List.of("0.4/5", "1.0/5"), reports);
  }
}
