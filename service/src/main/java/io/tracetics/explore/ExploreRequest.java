package io.tracetics.explore;

import com.fasterxml.jackson.annotation.JsonProperty;
import jakarta.validation.constraints.NotNull;

/** The body of {@code POST /api/v1/apps/{app_id}/sql}. */
public record ExploreRequest(@JsonProperty("query") @NotNull String query) {}
