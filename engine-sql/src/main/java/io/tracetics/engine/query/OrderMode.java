package io.tracetics.engine.query;

/** How the steps of a funnel must follow each other (see engine-sql/README.md). */
public enum OrderMode {
  /** Steps in order; other events may happen in between. */
  ORDERED,
  /** Steps in order; any other event strictly between two steps breaks the chain. */
  STRICT,
  /** All steps within one window, in any order. */
  UNORDERED
}
