package io.tracetics.sharing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dropwizard.jackson.Jackson;
import io.tracetics.funnels.FunnelApi;
import io.tracetics.funnels.ReportParams;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

class SharedReportTest {
  static final ObjectMapper JSON = Jackson.newObjectMapper();

  static FunnelApi.Definition definition() throws Exception {
    return JSON.readValue(
        """
        {"name": "trial", "window_seconds": 3600, "order": "ordered",
         "steps": [{"event_name": "visit", "filters": [{"property": "plan", "op": "in", "value": ["pro", "team"]}]},
                   {"any_of": [{"event_name": "signup_web"}, {"event_name": "signup_app",
                                "filters": [{"property": "store", "op": "eq", "value": "ios", "source": "user"}]}],
                    "name": "signup", "within_seconds": 600}],
         "exclusions": [{"event_name": "refund", "from_step": 0, "to_step": 1}],
         "global_filters": [{"property": "country", "op": "eq", "value": "NO"}],
         "hold_constant": ["order_id"], "breakdown": "source", "interval": "week",
         "cohorts": {"include": [41], "exclude": [42]}, "count_by": {"property": "company_id"}}
        """,
        FunnelApi.Definition.class);
  }

  /** A report with every field the service writes, and some it might write one day. */
  static ObjectNode report() throws Exception {
    String step =
        """
        {"index": 1, "event_name": "signup_web", "name": "signup", "users": 40,
         "conversion_from_first": 0.4, "conversion_from_previous": 0.4, "drop_off": 60,
         "time_to_convert": {"median_seconds": 30.0, "p90_seconds": 60.0, "mean_seconds": 40.0,
                             "histogram": [{"from_seconds": 0.0, "to_seconds": 60.0, "users": 40}]},
         "alternatives": [{"index": 0, "event_name": "signup_web", "users": 30, "actors_url": "/x"}],
         "comparison": {"previous_users": 20, "conversion_from_first": 0.4,
                        "previous_conversion_from_first": 0.2, "difference": 0.2,
                        "significance": {"p_value": 0.01, "method": "z_test"}},
         "actors": [{"user_identifier": "u_1"}], "people_url": "/api/v1/apps/1/funnels/2/actors"}
        """;
    String report =
        """
        {"steps": [%s], "breakdowns": [{"value": "ads", "other": false, "steps": [%s], "app_id": 9}],
         "trends": [{"period": "2026-01-05", "entered": 4, "completed": 1, "conversion_rate": 0.25}],
         "count_by": {"property": "company_id", "unassigned_events": 3},
         "computed_at": "2026-01-09T10:00:01.2Z", "data_through": "2026-01-09T10:00:00.9Z",
         "watermark": {"events": 18211, "max_event_id": 99120, "load_position": 5121, "identity_version": 3},
         "cached": true, "sql": "SELECT 1", "funnel_id": 2,
         "compare": {"with": "previous", "from": "a", "to": "b", "previous_from": "c", "previous_to": "a"},
         "previous": {"steps": [%s], "watermark": {"max_event_id": 5}, "cached": true}}
        """
            .formatted(step, step, step);
    return (ObjectNode) JSON.readTree(report);
  }

  static ObjectNode shared() throws Exception {
    return SharedReport.of(
        JSON,
        definition(),
        report(),
        new ReportParams(null, null, null, "day", null, null, "previous"),
        List.of("interval", "compare"));
  }

  @Test
  void keepsTheNumbersTheNameAndTheStepsOnly() throws Exception {
    ObjectNode shared = shared();
    assertEquals(List.of("funnel", "report", "parameters", "allowed_parameters"), names(shared));
    assertEquals(List.of("name", "steps"), names(shared.get("funnel")));
    assertEquals(
        List.of(
            "steps",
            "breakdowns",
            "trends",
            "count_by",
            "compare",
            "computed_at",
            "data_through",
            "cached",
            "previous"),
        names(shared.get("report")));
    assertEquals(
        JSON.readTree(
                """
            [{"event_name": "visit", "filters": [{"property": "plan", "op": "in", "value": ["pro", "team"]}]},
             {"name": "signup",
              "any_of": [{"event_name": "signup_web"},
                         {"event_name": "signup_app", "filters": [{"property": "store", "op": "eq", "value": "ios", "source": "user"}]}],
              "within_seconds": 600}]
            """)
            .toString(),
        shared.get("funnel").get("steps").toString());
    JsonNode step = shared.get("report").get("steps").get(0);
    assertEquals(40, step.get("users").asInt());
    assertEquals(0.01, step.get("comparison").get("significance").get("p_value").asDouble());
    assertEquals(List.of("index", "event_name", "users"), names(step.get("alternatives").get(0)));
    assertEquals(40, step.get("time_to_convert").get("histogram").get(0).get("users").asInt());
    assertEquals("ads", shared.get("report").get("breakdowns").get(0).get("value").asText());
    assertEquals(
        List.of("value", "other", "steps"), names(shared.get("report").get("breakdowns").get(0)));
    assertEquals(List.of("steps", "cached"), names(shared.get("report").get("previous")));
  }

  /** Nothing that names or links to anything else passes, at any depth. */
  @Test
  void nothingElseAnywhere() throws Exception {
    Set<String> all = new TreeSet<>();
    collect(shared(), all);
    for (String forbidden :
        List.of(
            "watermark",
            "max_event_id",
            "load_position",
            "sql",
            "funnel_id",
            "app_id",
            "actors",
            "actors_url",
            "people_url",
            "user_identifier",
            "cohorts",
            "exclusions",
            "global_filters",
            "hold_constant",
            "count_by_property",
            "window_seconds")) {
      assertFalse(all.contains(forbidden), forbidden + " in " + all);
    }
  }

  @Test
  void parametersAreTheViewersElseTheSavedOnes() throws Exception {
    JsonNode parameters = shared().get("parameters");
    assertEquals("source", parameters.get("breakdown").asText());
    assertEquals("day", parameters.get("interval").asText());
    assertEquals("ordered", parameters.get("mode").asText());
    assertEquals("previous", parameters.get("compare").asText());
    assertEquals(true, parameters.get("from").isNull());
    assertEquals(JSON.readTree("[\"interval\", \"compare\"]"), shared().get("allowed_parameters"));
  }

  static List<String> names(JsonNode node) {
    List<String> names = new ArrayList<>();
    node.fieldNames().forEachRemaining(names::add);
    return names;
  }

  static void collect(JsonNode node, Set<String> names) {
    node.fields()
        .forEachRemaining(
            f -> {
              names.add(f.getKey());
              collect(f.getValue(), names);
            });
    if (node.isArray()) {
      node.forEach(item -> collect(item, names));
    }
  }
}
