package io.tracetics.importer;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedReader;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Maps the NDJSON records of a tool's export ({@link JsonLines}) with the tool's {@link
 * PresetMapping}. An identify an event implies is passed on the first time its link (anonymous id,
 * user) is seen among the last {@value #RECENT_LINKS} links, not for every event that carries both
 * ids: the link is the same each time, and an export holds many events per link.
 */
final class PresetRowMapper implements RowMapper {
  static final int RECENT_LINKS = 65_536;

  private final JsonLines lines;
  private final PresetMapping mapping;
  private final Map<String, Boolean> recentLinks =
      new LinkedHashMap<>(1024, 0.75f, true) {
        private static final long serialVersionUID = 1L;

        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
          return size() > RECENT_LINKS;
        }
      };

  PresetRowMapper(BufferedReader lines, ImportPreset preset) {
    this.lines = new JsonLines(lines);
    this.mapping = preset.mapping();
  }

  @Override
  public MappedRow next() throws IOException {
    return lines.next(this::map);
  }

  private MappedRow map(ObjectNode record, long line, String text) {
    PresetRecord mapped = mapping.map(record);
    if (mapped instanceof PresetRecord.Event event) {
      return new MappedRow.Event(event.event(), firstSeen(event.impliedIdentify()), line, text);
    }
    if (mapped instanceof PresetRecord.Identify identify) {
      return new MappedRow.Identify(identify.identify(), line, text);
    }
    if (mapped instanceof PresetRecord.Skipped skipped) {
      return new MappedRow.Skipped(line, skipped.reason());
    }
    return new MappedRow.Rejected(line, ((PresetRecord.Invalid) mapped).error(), text);
  }

  private ObjectNode firstSeen(ObjectNode link) {
    if (link == null) {
      return null;
    }
    String key = link.path("anonymous_id").asText() + '\0' + link.path("user_identifier").asText();
    return recentLinks.put(key, Boolean.TRUE) == null ? link : null;
  }
}
