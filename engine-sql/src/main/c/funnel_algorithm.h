/*
 * The funnel algorithm of the native aggregate over plain C arrays (no DuckDB types): one user's
 * step events, packed one per uint64_t, give the furthest level of the ordered funnel and the step
 * times of the chosen attempt. tracetics_funnel.c calls it per user; funnel_algorithm_test.c
 * (src/test/c) tests it.
 *
 *   - sort the user's events by (t, k), so that equal instants count as in order;
 *   - latest[j] = the latest start of a chain reaching step j so far: a step-1 event sets
 *     latest[1] = t; a step-j event sets latest[j] = latest[j-1] when t - latest[j-1] <= window
 *     (inclusive). Starts only grow along the order, so latest[L] at the end is the latest start
 *     of the furthest level L;
 *   - the chosen attempt is that start; its step times are its greedy chain (the earliest event of
 *     each next step after the previous one), which is where the latest start reached each step.
 *
 * Each event has one step, so one event fills at most one step (the funnel's steps have pairwise
 * different events).
 *
 * With per-step time limits (step k at most within[k] after the chain's step k-1), the same pass
 * also keeps the time of the last event that set latest[j]: a step-j event takes latest[j-1] when
 * it is also at most within[j] after that time. Among the events that some chain inside the window
 * reaches, the latest start of their chains never decreases along the order (by induction: it is
 * the latest start of the last such event of the previous step, if that one is near enough), so the
 * last one is the best and one value per step still suffices. The greedy chain is no longer the
 * chosen attempt's (an earlier step event may be too far from every next one), so
 * funnel_keep_chain_events first keeps only the events of chains from the chosen start that reach
 * its level (see there).
 */
#ifndef TRACETICS_FUNNEL_ALGORITHM_H
#define TRACETICS_FUNNEL_ALGORITHM_H

#include <stdint.h>

/* An event is packed as ((t + FUNNEL_TIME_BIAS) << FUNNEL_STEP_BITS) | k: its time t in epoch
   milliseconds, -2^58 <= t < 2^58, and its step k in 1..FUNNEL_MAX_STEP. Packed events compare
   as (t, k). */
#define FUNNEL_STEP_BITS 5
#define FUNNEL_STEP_MASK 31
#define FUNNEL_MAX_STEP 31
#define FUNNEL_TIME_BIAS ((int64_t)1 << 58)

/* No start: the result of a user without a step-1 event. */
#define FUNNEL_NO_START INT64_MIN

static inline uint64_t funnel_item(int64_t t, int k) {
  return ((uint64_t)(t + FUNNEL_TIME_BIAS) << FUNNEL_STEP_BITS) | (uint64_t)k;
}

static inline int funnel_item_step(uint64_t item) { return (int)(item & FUNNEL_STEP_MASK); }

static inline int64_t funnel_item_time(uint64_t item) {
  return (int64_t)(item >> FUNNEL_STEP_BITS) - FUNNEL_TIME_BIAS;
}

/* The window in 4 bytes: milliseconds below 2^31 as they are; longer windows in whole seconds with
   the top bit set. Returns 0 for a window that fits neither (the planner never sends one). */
static inline int funnel_window_encode(int64_t window_ms, uint32_t *encoded) {
  if (window_ms >= 0 && window_ms < ((int64_t)1 << 31)) {
    *encoded = (uint32_t)window_ms;
    return 1;
  }
  if (window_ms > 0 && window_ms % 1000 == 0 && window_ms / 1000 < ((int64_t)1 << 31)) {
    *encoded = (uint32_t)(window_ms / 1000) | 0x80000000u;
    return 1;
  }
  return 0;
}

static inline int64_t funnel_window_decode(uint32_t encoded) {
  return (encoded & 0x80000000u) ? (int64_t)(encoded & 0x7fffffffu) * 1000 : (int64_t)encoded;
}

/* Sorts packed events ascending, in place, allocating nothing: introsort (quicksort with a median
   of three, insertion sort for short ranges, heapsort when the recursion gets deep, so no input
   makes it quadratic). */
void funnel_sort_items(uint64_t *items, uint32_t n);

/* Sorts items; returns the furthest level (0: no step-1 event) and sets *start to its latest
   start (FUNNEL_NO_START for level 0). window is in milliseconds. */
int funnel_furthest_level(uint64_t *items, uint32_t n, int64_t window, int64_t *start);

/* The greedy chain from start over sorted items: the earliest event of each next step, in (t, k)
   order, into out[0 .. level). */
void funnel_greedy_chain(const uint64_t *items, uint32_t n, int64_t start, int level, int64_t *out);

/* funnel_furthest_level with per-step time limits: within[k] is step k's limit in milliseconds
   for k = 2..31 (a step without one: the window, which bounds it anyway). */
int funnel_furthest_level_within(uint64_t *items, uint32_t n, int64_t window,
                                 const int64_t *within, int64_t *start);

/* With time limits, after funnel_furthest_level_within gave level (>= 1) and start: sets the step
   of every sorted item to 0 except the events of chains from start that reach level, so that
   funnel_greedy_chain then gives the chosen attempt's step times (the earliest step by step). An
   event is kept when the latest start of its chains is start (a later start reaching it would
   reach level too) and an event of the next step that is kept lies at or after it and within that
   step's limit (a backward pass); every kept event is then on such a chain, so the earliest kept
   event of each step is the chosen chain's. */
void funnel_keep_chain_events(uint64_t *items, uint32_t n, int64_t window, const int64_t *within,
                              int64_t start, int level);

#endif
