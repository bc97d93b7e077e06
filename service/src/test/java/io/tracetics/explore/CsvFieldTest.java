package io.tracetics.explore;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class CsvFieldTest {
  @Test
  void csvFieldsAreQuotedOnlyWhenTheyMustBe() {
    assertEquals("plain", CsvField.of("plain"));
    assertEquals("\"\"", CsvField.of(""), "an empty string is told apart from NULL");
    assertEquals("\"a,b\"", CsvField.of("a,b"));
    assertEquals("\"say \"\"hi\"\"\"", CsvField.of("say \"hi\""));
    assertEquals("\"two\nlines\"", CsvField.of("two\nlines"));
    assertEquals("\"cr\r\"", CsvField.of("cr\r"));
  }
}
