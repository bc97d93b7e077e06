package io.tracetics.funnels;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The key a saved funnel's report is cached under: every report parameter that changes the answer,
 * as canonical JSON ({@code params}, stored beside the result) and its SHA-256 ({@code hash}, the
 * lookup key with the funnel's id).
 */
record ReportCacheKey(String params, byte[] hash) {

  static ReportCacheKey of(ObjectMapper json, ReportParams params) {
    String text;
    try {
      text = json.writeValueAsString(canonical(params));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
    try {
      return new ReportCacheKey(
          text, MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * The parameters in a fixed order. {@code breakdown_source} and {@code compare} appear only when
   * given, so the reports cached before they were part of the key keep their keys.
   */
  static Map<String, String> canonical(ReportParams params) {
    Map<String, String> map = new LinkedHashMap<>();
    map.put("from", params.from());
    map.put("to", params.to());
    map.put("breakdown", params.breakdown());
    map.put("interval", params.interval());
    map.put("mode", params.mode());
    if (params.breakdownSource() != null) {
      map.put("breakdown_source", params.breakdownSource());
    }
    if (params.compare() != null) {
      map.put("compare", params.compare());
    }
    return map;
  }
}
