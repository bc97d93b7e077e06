package io.tracetics.cohorts;

import io.tracetics.engine.query.FunnelQuery;
import io.tracetics.errors.ApiException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** The pure rules of cohorts: names, members, member pages. */
public final class CohortRules {
  /**
   * Identifiers one create request may carry: 10,000 identifiers of up to 255 characters stay under
   * about 2.6 MB of JSON, and far under it for typical ids.
   */
  public static final int MAX_IDENTIFIERS = 10_000;

  /** An identifier's longest form, as for events' user_identifier. */
  public static final int MAX_IDENTIFIER_LENGTH = 255;

  /** The most people a cohort made from a report cell's actors holds. */
  public static final int MAX_FROM_ACTORS = 100_000;

  public static final int MAX_NAME_LENGTH = 200;
  public static final int DEFAULT_PAGE = 100;
  public static final int MAX_PAGE = 1_000;

  private static final String CURSOR_PREFIX = "m";

  private CohortRules() {}

  /**
   * The name stripped.
   *
   * @throws ApiException 400 {@code invalid_cohort} when blank or longer than {@value
   *     #MAX_NAME_LENGTH}
   */
  public static String name(String name) {
    String stripped = name == null ? "" : name.strip();
    if (stripped.isEmpty() || stripped.length() > MAX_NAME_LENGTH) {
      throw ApiException.badRequest(
          "invalid_cohort", "name must be 1 to " + MAX_NAME_LENGTH + " characters");
    }
    return stripped;
  }

  /**
   * The members to store: the identifiers in the order given, each once (a repeat is dropped).
   *
   * @throws ApiException 400 {@code invalid_cohort} when the list is missing or has more than
   *     {@value #MAX_IDENTIFIERS} entries; 400 {@code invalid_identifier} naming the first entry
   *     that is null, empty or longer than {@value #MAX_IDENTIFIER_LENGTH} characters
   */
  /**
   * Exactly one source of members: {@code user_identifiers} or {@code from_actors}.
   *
   * @throws ApiException 400 {@code invalid_cohort} otherwise
   */
  public static void oneSource(CohortApi.CreateRequest request) {
    boolean list = request.userIdentifiers() != null;
    boolean actors = request.fromActors() != null;
    if (list == actors) {
      throw ApiException.badRequest(
          "invalid_cohort",
          "give one of user_identifiers and from_actors, not " + (list ? "both" : "neither"));
    }
  }

  /**
   * A cohort holds persons, so it is made from the actors of a funnel that counts persons only; a
   * funnel that counts units ({@code count_by}) lists property values, not persons.
   *
   * @throws ApiException 422 {@code actors_not_persons} for a funnel that counts units
   */
  public static void actorsArePersons(long funnelId, FunnelQuery query) {
    if (query.countBy().isEmpty()) {
      return;
    }
    Map<String, Object> details = new LinkedHashMap<>();
    details.put("funnel_id", funnelId);
    details.put("count_by", query.countBy().get());
    throw new ApiException(
        422,
        "actors_not_persons",
        "Funnel "
            + funnelId
            + " counts values of "
            + query.countBy().get()
            + " (count_by), not persons: a cohort holds persons, so it cannot be made from its"
            + " actors",
        details);
  }

  /**
   * A cohort from actors holds at most {@link #MAX_FROM_ACTORS} people.
   *
   * @throws ApiException 400 {@code cohort_too_large} with the cell's size otherwise
   */
  public static void fromActorsSize(long people) {
    if (people > MAX_FROM_ACTORS) {
      Map<String, Object> details = new LinkedHashMap<>();
      details.put("max_members", MAX_FROM_ACTORS);
      details.put("people", people);
      throw new ApiException(
          400,
          "cohort_too_large",
          "The cell has "
              + people
              + " people; a cohort from actors holds at most "
              + MAX_FROM_ACTORS
              + " (narrow it with a date range or a breakdown group)",
          details);
    }
  }

  public static List<String> members(List<String> identifiers) {
    if (identifiers == null) {
      throw ApiException.badRequest("invalid_cohort", "user_identifiers is required");
    }
    if (identifiers.size() > MAX_IDENTIFIERS) {
      Map<String, Object> details = new LinkedHashMap<>();
      details.put("max_identifiers", MAX_IDENTIFIERS);
      details.put("identifiers", identifiers.size());
      throw new ApiException(
          400,
          "too_many_identifiers",
          "A cohort is created with at most " + MAX_IDENTIFIERS + " user_identifiers",
          details);
    }
    Set<String> distinct = new LinkedHashSet<>();
    for (int i = 0; i < identifiers.size(); i++) {
      String id = identifiers.get(i);
      if (id == null || id.isEmpty() || id.length() > MAX_IDENTIFIER_LENGTH) {
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("index", i);
        throw new ApiException(
            400,
            "invalid_identifier",
            "user_identifiers["
                + i
                + "] must be a string of 1 to "
                + MAX_IDENTIFIER_LENGTH
                + " characters",
            details);
      }
      distinct.add(id);
    }
    return new ArrayList<>(distinct);
  }

  /**
   * A page size from the {@code limit} query parameter (default {@value #DEFAULT_PAGE}).
   *
   * @throws ApiException 400 {@code invalid_parameter}
   */
  public static int limit(String text) {
    if (text == null) {
      return DEFAULT_PAGE;
    }
    int limit;
    try {
      limit = Integer.parseInt(text.strip());
    } catch (NumberFormatException e) {
      limit = -1;
    }
    if (limit < 1 || limit > MAX_PAGE) {
      throw ApiException.badRequest(
          "invalid_parameter",
          "Query parameter 'limit' must be a whole number from 1 to " + MAX_PAGE);
    }
    return limit;
  }

  /**
   * The member id after which a page starts: 0 without a cursor.
   *
   * @throws ApiException 400 {@code invalid_parameter} for anything not a {@code next_cursor}
   */
  public static long after(String cursor) {
    if (cursor == null || cursor.isEmpty()) {
      return 0;
    }
    try {
      String text = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8);
      if (text.startsWith(CURSOR_PREFIX)) {
        long id = Long.parseLong(text.substring(CURSOR_PREFIX.length()));
        if (id > 0) {
          return id;
        }
      }
    } catch (IllegalArgumentException e) {
      // Falls through to the one answer for every malformed cursor.
    }
    throw ApiException.badRequest(
        "invalid_parameter",
        "Query parameter 'cursor' must be the next_cursor of an earlier answer");
  }

  /** The cursor of the page after the member {@code lastId}. */
  public static String cursorAfter(long lastId) {
    return Base64.getUrlEncoder()
        .withoutPadding()
        .encodeToString((CURSOR_PREFIX + lastId).getBytes(StandardCharsets.UTF_8));
  }
}
