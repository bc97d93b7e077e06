package io.tracetics.importer;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * One tool's export record onto what the API stores: a pure function, unit-tested per tool. The
 * record is freshly parsed and owned by the mapping, which may take it apart.
 */
interface PresetMapping {
  PresetRecord map(ObjectNode record);
}
