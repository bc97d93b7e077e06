package io.tracetics.importer;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.Reader;

/**
 * Maps a file's text, row by row, onto the API's event object by {@link ImportOptions}: the user,
 * event name, time and id columns become the API's fields, every other column a metadata key, the
 * time converted by {@code --time-unit} ({@link TimeColumn}); or, with a preset, by the tool's own
 * mapping ({@link PresetRowMapper}), which also yields identifies. A row that is not valid in the
 * file's format, or has no usable time, comes back rejected; everything else is validated later by
 * the importer with the API's rules.
 */
interface RowMapper {

  /** The next row of the text, or null at its end. */
  MappedRow next() throws IOException;

  /**
   * The mapper for the options' preset or format; for CSV it reads the header row first. An {@link
   * ImportException} when the columns cannot be mapped.
   */
  static RowMapper open(Reader text, ImportOptions options) throws IOException {
    if (options.preset() != null) {
      return new PresetRowMapper(new BufferedReader(text, 1 << 16), options.preset());
    }
    if (options.effectiveFormat().equals("ndjson")) {
      return new NdjsonRowMapper(new BufferedReader(text, 1 << 16), options);
    }
    return CsvRowMapper.open(text, options);
  }
}
