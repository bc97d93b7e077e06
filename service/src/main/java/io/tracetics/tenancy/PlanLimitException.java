package io.tracetics.tenancy;

import io.tracetics.errors.ApiException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Creating something beyond the plan's limit: 403 with the limit and the plan in the body. Nothing
 * existing is ever deleted because of a limit; only new things are refused.
 */
public class PlanLimitException extends ApiException {
  private static final long serialVersionUID = 1L;

  private PlanLimitException(String error, String message, Map<String, Object> details) {
    super(403, error, message, details);
  }

  /**
   * @param thing "App", "Funnel" or "Cohort"
   */
  public static PlanLimitException reached(String thing, PlanRow plan, long limit, long used) {
    Map<String, Object> details = new LinkedHashMap<>();
    details.put("limit", limit);
    details.put("used", used);
    details.put("plan", plan.code());
    return new PlanLimitException(
        thing.toLowerCase(java.util.Locale.ROOT) + "_limit_reached",
        thing
            + " limit reached: the "
            + plan.name()
            + " plan allows "
            + limit
            + " "
            + thing.toLowerCase(java.util.Locale.ROOT)
            + (limit == 1 ? "" : "s")
            + ". Upgrade the plan or delete one to create another.",
        details);
  }
}
