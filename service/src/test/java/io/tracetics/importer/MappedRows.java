package io.tracetics.importer;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/** Reads what a {@link RowMapper} gives, for the mappers' tests. */
final class MappedRows {
  private MappedRows() {}

  static List<MappedRow> readAll(RowMapper mapper) throws IOException {
    List<MappedRow> rows = new ArrayList<>();
    MappedRow row;
    while ((row = mapper.next()) != null) {
      rows.add(row);
    }
    return rows;
  }
}
