package io.tracetics.funnels;

import static org.junit.jupiter.api.Assertions.assertEquals;

import jakarta.ws.rs.QueryParam;
import java.lang.reflect.Field;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ReportQueryTest {
  /** The names other packages validate against are exactly the query parameters of the report. */
  @Test
  void namesAreTheQueryParameters() {
    List<String> annotated = new ArrayList<>();
    for (Field field : ReportQuery.class.getDeclaredFields()) {
      QueryParam param = field.getAnnotation(QueryParam.class);
      if (param != null) {
        annotated.add(param.value());
      }
    }
    assertEquals(ReportQuery.NAMES, annotated);
  }

  @Test
  void paramsByName() {
    ReportParams params =
        ReportQuery.params(
            Map.of(
                "from", "2026-01-01",
                "to", "2026-02-01",
                "breakdown", "plan",
                "interval", "week",
                "mode", "strict",
                "breakdown_source", "user",
                "compare", "previous"));
    assertEquals(
        new ReportParams("2026-01-01", "2026-02-01", "plan", "week", "strict", "user", "previous"),
        params);
    assertEquals(ReportParams.NONE.withCompare(null), ReportQuery.params(Map.of()));
  }
}
