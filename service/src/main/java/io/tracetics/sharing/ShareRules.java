package io.tracetics.sharing;

import io.tracetics.errors.ApiException;
import io.tracetics.funnels.ReportParams;
import io.tracetics.funnels.ReportQuery;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The rules of share links, as pure functions: which report parameters a link may let its viewers
 * change, when it expires, and which parameters a viewer's request may carry.
 */
public final class ShareRules {
  /** Longest text of a caller's parameter name repeated in an error message. */
  private static final int ECHO_LENGTH = 60;

  private ShareRules() {}

  /**
   * A new link's {@code allowed_parameters}: each a parameter of the funnel's report ({@link
   * ReportQuery#NAMES}), duplicates dropped, in the report's order. None given: none allowed.
   */
  public static List<String> allowedParameters(List<String> requested) {
    if (requested == null) {
      return List.of();
    }
    Set<String> chosen = new LinkedHashSet<>();
    for (String name : requested) {
      if (name == null || !ReportQuery.NAMES.contains(name)) {
        throw new ApiException(
            400,
            "unknown_parameter",
            "allowed_parameters: "
                + quote(name)
                + " is not a parameter of the funnel's report (one of "
                + String.join(", ", ReportQuery.NAMES)
                + ")",
            Map.of("field", "allowed_parameters"));
      }
      chosen.add(name);
    }
    return ReportQuery.NAMES.stream().filter(chosen::contains).toList();
  }

  /**
   * A new link's expiry: none, or an ISO-8601 time with an offset after {@code now} (to the
   * millisecond).
   */
  public static Optional<Instant> expiresAt(String text, Instant now) {
    if (text == null) {
      return Optional.empty();
    }
    Instant at;
    try {
      at = OffsetDateTime.parse(text).toInstant().truncatedTo(ChronoUnit.MILLIS);
    } catch (DateTimeParseException e) {
      throw new ApiException(
          400,
          "invalid_expires_at",
          "expires_at must be an ISO-8601 time with an offset, such as 2026-02-01T00:00:00Z",
          Map.of("field", "expires_at"));
    }
    if (!at.isAfter(now)) {
      throw new ApiException(
          400,
          "invalid_expires_at",
          "expires_at must be in the future",
          Map.of("field", "expires_at"));
    }
    return Optional.of(at);
  }

  /** Whether a link with this expiry (null: none) is still live at {@code now}. */
  public static boolean unexpired(Long expiresAtMs, Instant now) {
    return expiresAtMs == null || now.toEpochMilli() < expiresAtMs;
  }

  /**
   * The report parameters a viewer asked for: empty when none (the funnel's saved report), else
   * those given, each of which must be {@code allowed} (400 {@code parameter_not_allowed} naming
   * the first that is not) and given once.
   */
  public static Optional<ReportParams> viewerParams(
      Map<String, List<String>> query, Set<String> allowed) {
    if (query.isEmpty()) {
      return Optional.empty();
    }
    Map<String, String> given = new HashMap<>();
    for (String name : query.keySet().stream().sorted().toList()) {
      if (!allowed.contains(name)) {
        throw new ApiException(
            400,
            "parameter_not_allowed",
            "This shared report does not let its viewers change " + quote(name),
            Map.of("parameter", truncate(name)));
      }
      List<String> values = query.get(name);
      if (values.size() != 1) {
        throw new ApiException(
            400,
            "invalid_parameter",
            quote(name) + " must be given once",
            Map.of("parameter", name));
      }
      given.put(name, values.get(0));
    }
    return Optional.of(ReportQuery.params(given));
  }

  /** The stored form of allowed parameters: their names, comma-separated. */
  static String encode(List<String> allowed) {
    return String.join(",", allowed);
  }

  static List<String> decode(String stored) {
    return stored.isEmpty() ? List.of() : Arrays.asList(stored.split(","));
  }

  private static String quote(String name) {
    return name == null ? "null" : "'" + truncate(name) + "'";
  }

  private static String truncate(String text) {
    return text.length() <= ECHO_LENGTH ? text : text.substring(0, ECHO_LENGTH) + "…";
  }
}
