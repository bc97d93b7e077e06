package io.tracetics.engine.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class PersonTraitsTest {

  @Test
  void aPatchSetsKeysAndNullRemovesThem() {
    assertEquals("{\"plan\":\"pro\"}", PersonTraits.patch(null, "{\"plan\":\"pro\"}"));
    assertEquals(
        "{\"plan\":\"team\",\"seats\":3}",
        PersonTraits.patch("{\"plan\":\"pro\",\"seats\":3}", "{\"plan\":\"team\"}"));
    assertEquals(
        "{\"seats\":3}", PersonTraits.patch("{\"plan\":\"pro\",\"seats\":3}", "{\"plan\":null}"));
    assertNull(PersonTraits.patch("{\"plan\":\"pro\"}", "{\"plan\":null}"));
    assertNull(PersonTraits.patch(null, "{\"gone\":null}"));
    // One level: a nested object is a value and replaces the old one whole.
    assertEquals(
        "{\"address\":{\"city\":\"Oslo\"}}",
        PersonTraits.patch(
            "{\"address\":{\"city\":\"Bergen\",\"zip\":\"5003\"}}",
            "{\"address\":{\"city\":\"Oslo\"}}"));
  }

  @Test
  void anAliasFillsOnlyTheKeysItsPersonLacks() {
    assertEquals(
        "{\"plan\":\"pro\",\"utm\":\"ads\"}",
        PersonTraits.absorb("{\"plan\":\"pro\"}", "{\"plan\":\"free\",\"utm\":\"ads\"}"));
    assertEquals("{\"utm\":\"ads\"}", PersonTraits.absorb(null, "{\"utm\":\"ads\"}"));
    assertEquals("{\"plan\":\"pro\"}", PersonTraits.absorb("{\"plan\":\"pro\"}", null));
  }

  @Test
  void traitsMustBeAnObject() {
    assertThrows(IllegalArgumentException.class, () -> PersonTraits.patch(null, "[1]"));
  }
}
