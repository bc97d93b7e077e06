package io.tracetics.explore;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class ExploreWritersTest {
  @Test
  void csvFieldsAreQuotedOnlyWhenTheyMustBe() {
    assertEquals("plain", ExploreWriters.Csv.field("plain"));
    assertEquals("\"\"", ExploreWriters.Csv.field(""), "an empty string is told apart from NULL");
    assertEquals("\"a,b\"", ExploreWriters.Csv.field("a,b"));
    assertEquals("\"say \"\"hi\"\"\"", ExploreWriters.Csv.field("say \"hi\""));
    assertEquals("\"two\nlines\"", ExploreWriters.Csv.field("two\nlines"));
    assertEquals("\"cr\r\"", ExploreWriters.Csv.field("cr\r"));
  }
}
