package io.tracetics.importer;

import java.util.Arrays;
import java.util.Locale;
import java.util.function.Supplier;
import java.util.stream.Collectors;

/**
 * The analytics tools whose standard event exports {@code import --preset} reads: NDJSON records in
 * the tool's own shape, each mapped by the tool's {@link PresetMapping} onto the API's event object
 * or identify (the README's import section lists what each one maps).
 */
public enum ImportPreset {
  /** Segment's S3 / warehouse archive of track, page, screen, identify, alias and group calls. */
  SEGMENT("segment", SegmentPreset::new),
  /** PostHog's event export (batch or file-download export, JSONLines). */
  POSTHOG("posthog", PostHogPreset::new),
  /** Mixpanel's raw event export. */
  MIXPANEL("mixpanel", MixpanelPreset::new),
  /** Amplitude's Export API (one JSON event per line in each file of the archive). */
  AMPLITUDE("amplitude", AmplitudePreset::new);

  private final String optionName;
  private final Supplier<PresetMapping> mapping;

  ImportPreset(String optionName, Supplier<PresetMapping> mapping) {
    this.optionName = optionName;
    this.mapping = mapping;
  }

  /** The name {@code --preset} takes. */
  public String optionName() {
    return optionName;
  }

  /** The preset {@code --preset} names; an {@link IllegalArgumentException} for another name. */
  public static ImportPreset named(String name) {
    for (ImportPreset preset : values()) {
      if (preset.optionName.equals(name.toLowerCase(Locale.ROOT))) {
        return preset;
      }
    }
    throw new IllegalArgumentException("--preset must be one of " + optionNames());
  }

  /** The names {@code --preset} takes, comma-separated. */
  public static String optionNames() {
    return Arrays.stream(values()).map(p -> p.optionName).collect(Collectors.joining(", "));
  }

  PresetMapping mapping() {
    return mapping.get();
  }
}
