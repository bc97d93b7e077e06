package io.tracetics.paging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.tracetics.errors.ApiException;
import java.util.List;
import org.junit.jupiter.api.Test;

class PageRequestTest {
  @Test
  void withoutParametersAPageIsLargeEnoughForClientsThatIgnoreCursors() {
    assertEquals(new PageRequest(0, 1000), PageRequest.parse(null, null));
    assertEquals(new PageRequest(0, 1000), PageRequest.parse("", ""));
    assertEquals(new PageRequest(41, 5), PageRequest.parse("5", "41"));
  }

  @Test
  void badValuesAre400NamingTheParameter() {
    for (String[] bad :
        new String[][] {{"0", null}, {"1001", null}, {"x", null}, {"5", "abc"}, {"5", "-3"}}) {
      ApiException e = assertThrows(ApiException.class, () -> PageRequest.parse(bad[0], bad[1]));
      assertEquals(400, e.status());
      assertEquals("invalid_parameter", e.error());
    }
    assertEquals(
        "Query parameter 'cursor' must be a next_cursor returned by this list",
        assertThrows(ApiException.class, () -> PageRequest.parse("5", "abc")).getMessage());
  }

  @Test
  void aFullPageWithMoreBehindItGivesTheLastIdAsTheNextCursor() {
    PageRequest request = new PageRequest(0, 2);
    assertEquals(3, request.fetch());
    Page<Long> first = request.page(List.of(4L, 7L, 9L), id -> id);
    assertEquals(List.of(4L, 7L), first.items());
    assertEquals("7", first.nextCursor());
    Page<Long> last = request.page(List.of(9L, 12L), id -> id);
    assertEquals(List.of(9L, 12L), last.items());
    assertNull(last.nextCursor(), "exactly a page left: no empty page after it");
    assertEquals(List.of("9"), request.page(List.of(9L), id -> id).map(String::valueOf).items());
  }
}
