/*
 * Unit test of the native aggregate's funnel algorithm (src/main/c/funnel_algorithm.c) over plain
 * arrays: the semantics of engine-sql/README.md ("Semantics") for an ordered funnel whose steps
 * have pairwise different events, and the sort. Plain asserts: every check prints what failed and
 * the program exits 1; it exits 0 when all pass. src/test/c/test.sh builds and runs it.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "funnel_algorithm.h"

static int failures;

#define CHECK(cond, ...)                                                   \
  do {                                                                     \
    if (!(cond)) {                                                         \
      failures++;                                                          \
      fprintf(stderr, "%s:%d: %s failed: ", __FILE__, __LINE__, #cond);   \
      fprintf(stderr, __VA_ARGS__);                                        \
      fprintf(stderr, "\n");                                               \
    }                                                                      \
  } while (0)

#define MAX_EVENTS 64

/* An event of the test: time and step. */
typedef struct {
  int64_t t;
  int k;
} event;

/* One user's result as the aggregate computes it: level and step times. */
typedef struct {
  int level;
  int64_t times[FUNNEL_MAX_STEP];
} outcome;

/* within: per-step time limits (index = step), or NULL for none. */
static outcome run_within(const event *events, uint32_t n, int64_t window, const int64_t *within) {
  uint64_t items[MAX_EVENTS];
  for (uint32_t i = 0; i < n; i++) {
    items[i] = funnel_item(events[i].t, events[i].k);
  }
  outcome o;
  memset(&o, 0, sizeof(o));
  int64_t start;
  o.level = within ? funnel_furthest_level_within(items, n, window, within, &start)
                   : funnel_furthest_level(items, n, window, &start);
  if (o.level == 0) {
    if (start != FUNNEL_NO_START) {
      o.level = -1; /* makes the caller's check fail */
    }
    return o;
  }
  if (within) {
    funnel_keep_chain_events(items, n, window, within, start, o.level);
  }
  funnel_greedy_chain(items, n, start, o.level, o.times);
  return o;
}

static outcome run(const event *events, uint32_t n, int64_t window) {
  return run_within(events, n, window, NULL);
}

static void format_times(char *out, size_t size, const int64_t *times, int level) {
  size_t used = (size_t)snprintf(out, size, "[");
  for (int i = 0; i < level && used < size; i++) {
    used += (size_t)snprintf(out + used, size - used, i ? ", %" PRId64 : "%" PRId64, times[i]);
  }
  if (used < size) {
    snprintf(out + used, size - used, "]");
  }
}

/* Checks that events (in any order) reach `level` with step times `times` (with the time limits
   `within`, or none when NULL). */
static void expect_within(const char *name, const event *events, uint32_t n, int64_t window,
                          const int64_t *within, int level, const int64_t *times) {
  outcome o = run_within(events, n, window, within);
  char got[512], want[512];
  format_times(got, sizeof(got), o.times, o.level > 0 ? o.level : 0);
  format_times(want, sizeof(want), times, level);
  CHECK(o.level == level, "%s: level %d, expected %d", name, o.level, level);
  if (o.level == level) {
    CHECK(memcmp(o.times, times, sizeof(int64_t) * (size_t)level) == 0,
          "%s: step times %s, expected %s", name, got, want);
  }
}

static void expect(const char *name, const event *events, uint32_t n, int64_t window, int level,
                   const int64_t *times) {
  expect_within(name, events, n, window, NULL, level, times);
}

#define EVENTS(...) ((const event[]){__VA_ARGS__})
#define TIMES(...) ((const int64_t[]){__VA_ARGS__})
#define COUNT(a) ((uint32_t)(sizeof(a) / sizeof((a)[0])))
#define EXPECT(name, window, level, times, ...)                                           \
  expect(name, EVENTS(__VA_ARGS__), COUNT(EVENTS(__VA_ARGS__)), window, level, times)

static void window_is_inclusive(void) {
  /* W = 60 s: A@0, B@60 converts; A@0, B@60.001 and A@0, B@61 do not. */
  EXPECT("B exactly W after A", 60000, 2, TIMES(0, 60000), {0, 1}, {60000, 2});
  EXPECT("B 1 ms past W", 60000, 1, TIMES(0), {0, 1}, {60001, 2});
  EXPECT("B 1 s past W", 60000, 1, TIMES(0), {0, 1}, {61000, 2});
  /* The window counts from the first step, not from the previous one. */
  EXPECT("C past W of step 1", 100, 2, TIMES(0, 60), {0, 1}, {60, 2}, {101, 3});
  EXPECT("C at W of step 1", 100, 3, TIMES(0, 60, 100), {0, 1}, {60, 2}, {100, 3});
  /* W = 0: only the same instant. */
  EXPECT("W 0, same instant", 0, 2, TIMES(5, 5), {5, 1}, {5, 2});
  EXPECT("W 0, 1 ms later", 0, 1, TIMES(5), {5, 1}, {6, 2});
}

static void equal_times_count_as_in_order(void) {
  /* A@0, B@0, C@0 converts through A -> B -> C, whatever order they come in. */
  EXPECT("A, B, C at one instant", 10, 3, TIMES(0, 0, 0), {0, 1}, {0, 2}, {0, 3});
  EXPECT("C, B, A at one instant", 10, 3, TIMES(0, 0, 0), {0, 3}, {0, 2}, {0, 1});
  EXPECT("B, A at one instant", 10, 2, TIMES(7, 7), {7, 2}, {7, 1});
  /* A step before its previous step, strictly, does not count. */
  EXPECT("B before A", 10, 1, TIMES(5), {4, 2}, {5, 1});
  EXPECT("C before B", 10, 2, TIMES(0, 2), {0, 1}, {1, 3}, {2, 2});
}

static void one_event_fills_one_step(void) {
  /* One B event fills step 2 only: C is still missing. */
  EXPECT("B cannot also be C", 100, 2, TIMES(0, 10), {0, 1}, {10, 2});
  /* Step 3 needs its own event after step 2. */
  EXPECT("A, C: C without B", 100, 1, TIMES(0), {0, 1}, {10, 3});
  /* Two B events still fill step 2 once. */
  EXPECT("two Bs", 100, 2, TIMES(0, 10), {0, 1}, {10, 2}, {20, 2});
}

static void no_step_one(void) {
  outcome o = run(NULL, 0, 100);
  CHECK(o.level == 0, "no events: level %d", o.level);
  EXPECT("only later steps", 100, 0, TIMES(0), {0, 2}, {1, 3});
  EXPECT("step 1 only", 100, 1, TIMES(42), {42, 1});
}

static void furthest_attempt_then_latest_start(void) {
  /* The attempt from 0 reaches step 2, the one from 100 only step 1. */
  EXPECT("furthest wins over later", 50, 2, TIMES(0, 10), {0, 1}, {10, 2}, {100, 1});
  /* Both starts reach step 2: the latest start wins (the shortest conversion). */
  EXPECT("latest start on a tie", 50, 2, TIMES(5, 10), {0, 1}, {5, 1}, {10, 2});
  /* A later start that gets less far does not win: A@2 reaches step 1 only... */
  EXPECT("later start reaching less", 100, 3, TIMES(0, 1, 3), {0, 1}, {1, 2}, {2, 1}, {3, 3});
  /* ...unless it gets as far. */
  EXPECT("later start as far", 100, 3, TIMES(2, 4, 5), {0, 1}, {1, 2}, {2, 1}, {4, 2}, {5, 3});
  /* The earlier start is out of the window for step 3; the later one is not. */
  EXPECT("window picks the later start", 30, 3, TIMES(20, 30, 35), {0, 1}, {10, 2}, {20, 1},
         {30, 2}, {35, 3});
  /* Equal starts: the steps as early as possible. */
  EXPECT("earliest steps of one start", 100, 3, TIMES(0, 10, 40), {0, 1}, {10, 2}, {30, 2},
         {40, 3}, {50, 3});
  /* Two step-1 events at one instant are one start. */
  EXPECT("two starts at one instant", 100, 2, TIMES(3, 9), {3, 1}, {3, 1}, {9, 2});
}

static void step_times_of_the_chosen_chain(void) {
  /* The greedy chain from the chosen start: the earliest next step after the previous one. */
  EXPECT("greedy chain", 100, 3, TIMES(20, 25, 40), {0, 1}, {20, 1}, {25, 2}, {30, 2}, {40, 3});
  /* Step 3 before step 2 of the chosen start does not count; the next one does. */
  EXPECT("chain skips early later steps", 100, 3, TIMES(0, 10, 30), {0, 1}, {5, 3}, {10, 2},
         {30, 3});
  /* Negative times (before 1970) and the ends of the representable range. */
  EXPECT("negative times", 1000, 2, TIMES(-5000, -4500), {-5000, 1}, {-4500, 2});
  int64_t lo = -FUNNEL_TIME_BIAS, hi = FUNNEL_TIME_BIAS - 1;
  EXPECT("range ends", INT32_MAX, 1, TIMES(hi), {lo, 1}, {hi, 1});
  EXPECT("range start", 10, 2, TIMES(lo, lo + 10), {lo, 1}, {lo + 10, 2});
  /* All 31 steps. */
  event all[FUNNEL_MAX_STEP];
  int64_t times[FUNNEL_MAX_STEP];
  for (int k = FUNNEL_MAX_STEP; k >= 1; k--) {
    all[FUNNEL_MAX_STEP - k] = (event){1000 + k, k};
    times[k - 1] = 1000 + k;
  }
  expect("31 steps", all, FUNNEL_MAX_STEP, 30, FUNNEL_MAX_STEP, times);
  expect("31 steps, window 1 ms short", all, FUNNEL_MAX_STEP, 29, FUNNEL_MAX_STEP - 1, times);
}

/* Limits per step (index = step, 2..31); the others: the window. */
static const int64_t *limits(int64_t window, int step, int64_t limit, int step2, int64_t limit2) {
  static int64_t within[FUNNEL_MAX_STEP + 1];
  for (int k = 0; k <= FUNNEL_MAX_STEP; k++) {
    within[k] = window;
  }
  within[step] = limit;
  within[step2] = limit2;
  return within;
}

#define EXPECT_WITHIN(name, window, within, level, times, ...)                              \
  expect_within(name, EVENTS(__VA_ARGS__), COUNT(EVENTS(__VA_ARGS__)), window, within, level, \
                times)

static void step_time_limits(void) {
  /* C within 10 of B: B@10 cannot reach C@105, B@100 can; the earliest B is not the chain's. */
  EXPECT_WITHIN("a later step event reaches the limited step", 1000, limits(1000, 3, 10, 3, 10), 3,
                TIMES(0, 100, 105), {0, 1}, {10, 2}, {100, 2}, {105, 3});
  /* The limit is inclusive: exactly 10 after B converts, 11 does not. */
  EXPECT_WITHIN("exactly the limit", 1000, limits(1000, 2, 10, 2, 10), 2, TIMES(0, 10), {0, 1},
                {10, 2});
  EXPECT_WITHIN("1 ms past the limit", 1000, limits(1000, 2, 10, 2, 10), 1, TIMES(0), {0, 1},
                {11, 2});
  /* The limit counts from the previous step, the window from the first. */
  EXPECT_WITHIN("limit from the previous step", 100, limits(100, 3, 10, 3, 10), 3,
                TIMES(0, 85, 95), {0, 1}, {85, 2}, {95, 3});
  EXPECT_WITHIN("window still bounds the chain", 100, limits(100, 3, 10, 3, 10), 2, TIMES(0, 95),
                {0, 1}, {95, 2}, {105, 3});
  /* The later start reaches step 2 within its limit; the earlier one does not. */
  EXPECT_WITHIN("limit picks the start", 1000, limits(1000, 2, 5, 2, 5), 2, TIMES(20, 22),
                {0, 1}, {20, 1}, {22, 2});
  /* Equal starts, two limited steps: the earliest B that still reaches C, then the earliest C. */
  EXPECT_WITHIN("earliest chain that reaches the level", 1000, limits(1000, 2, 50, 3, 10), 3,
                TIMES(0, 40, 48), {0, 1}, {5, 2}, {40, 2}, {45, 2}, {48, 3}, {50, 3});
}

static void packing(void) {
  int64_t samples[] = {-FUNNEL_TIME_BIAS, -1, 0, 1, 1733500000000, FUNNEL_TIME_BIAS - 1};
  for (size_t i = 0; i < sizeof(samples) / sizeof(samples[0]); i++) {
    for (int k = 1; k <= FUNNEL_MAX_STEP; k += 15) {
      uint64_t item = funnel_item(samples[i], k);
      CHECK(funnel_item_time(item) == samples[i] && funnel_item_step(item) == k,
            "item of (%" PRId64 ", %d) reads (%" PRId64 ", %d)", samples[i], k,
            funnel_item_time(item), funnel_item_step(item));
    }
  }
  CHECK(funnel_item(5, 31) < funnel_item(6, 1), "items compare by time first");
  CHECK(funnel_item(-6, 31) < funnel_item(-5, 1), "negative times compare by time first");
  CHECK(funnel_item(5, 1) < funnel_item(5, 2), "then by step");
}

static void window_encoding(void) {
  struct {
    int64_t ms;
    int ok;
  } cases[] = {{0, 1},           {1, 1},          {86400000, 1},         {INT32_MAX, 1},
               {2147483648, 0},  {2147484000, 1}, {30LL * 86400000, 1},  {2147483647000LL, 1},
               {2147483648000LL, 0}, {2147483649, 0}, {-1, 0}, {-1000, 0}};
  for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
    uint32_t encoded = 0;
    int ok = funnel_window_encode(cases[i].ms, &encoded);
    CHECK(ok == cases[i].ok, "window %" PRId64 " ms: encoded %d, expected %d", cases[i].ms, ok,
          cases[i].ok);
    if (ok) {
      CHECK(funnel_window_decode(encoded) == cases[i].ms, "window %" PRId64 " ms decodes to %" PRId64,
            cases[i].ms, funnel_window_decode(encoded));
    }
  }
}

/* ------------------------------------------------------------------ random cases */

static uint64_t rng = 0x9e3779b97f4a7c15u;

static uint32_t next_random(uint32_t bound) {
  rng ^= rng << 13;
  rng ^= rng >> 7;
  rng ^= rng << 17;
  return (uint32_t)(rng % bound);
}

static int compare_items(const void *a, const void *b) {
  uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
  return x < y ? -1 : x > y;
}

static void sort_matches_qsort(void) {
  static uint64_t items[5000], expected[5000];
  uint32_t sizes[] = {0, 1, 2, 3, 16, 17, 31, 100, 1000, 5000};
  for (size_t s = 0; s < sizeof(sizes) / sizeof(sizes[0]); s++) {
    uint32_t n = sizes[s];
    for (int shape = 0; shape < 6; shape++) {
      for (uint32_t i = 0; i < n; i++) {
        switch (shape) {
          case 0: items[i] = funnel_item(next_random(1000000), 1 + (int)next_random(31)); break;
          case 1: items[i] = funnel_item(next_random(4), 1 + (int)next_random(3)); break;
          case 2: items[i] = funnel_item(7, 2); break;
          case 3: items[i] = funnel_item(i, 1); break;
          case 4: items[i] = funnel_item(n - i, 1); break;
          /* Organ pipe: up then down, a classic bad case for median-of-three quicksort. */
          default: items[i] = funnel_item(i < n / 2 ? i : n - i, 1); break;
        }
      }
      memcpy(expected, items, sizeof(uint64_t) * n);
      qsort(expected, n, sizeof(uint64_t), compare_items);
      funnel_sort_items(items, n);
      CHECK(memcmp(items, expected, sizeof(uint64_t) * n) == 0, "sort of %u items, shape %d", n,
            shape);
    }
  }
}

/* Whether chain (depth steps) is a better attempt than best: further, then a later start, then
   earlier step times step by step. */
static int better(const int64_t *chain, int depth, const outcome *best) {
  if (depth != best->level) {
    return depth > best->level;
  }
  for (int i = 0; i < depth; i++) {
    if (chain[i] != best->times[i]) {
      return i == 0 ? chain[0] > best->times[0] : chain[i] < best->times[i];
    }
  }
  return 0;
}

/* The semantics spelled out by brute force, sharing nothing with the algorithm: for every start
   (a step-1 event), every chain of later steps (each at or after the previous step, at most window
   after the start), keeping the best. */
static void search(const event *ev, uint32_t n, int64_t window, const int64_t *within, int depth,
                   int64_t *chain, outcome *best) {
  if (better(chain, depth, best)) {
    best->level = depth;
    memcpy(best->times, chain, sizeof(int64_t) * (size_t)depth);
  }
  for (uint32_t i = 0; i < n; i++) {
    if (ev[i].k == depth + 1 && ev[i].t >= chain[depth - 1] && ev[i].t - chain[0] <= window &&
        (!within || ev[i].t - chain[depth - 1] <= within[depth + 1])) {
      chain[depth] = ev[i].t;
      search(ev, n, window, within, depth + 1, chain, best);
    }
  }
}

/* ... and with per-step time limits (each step at most within[k] after the previous one). */
static outcome brute_force(const event *ev, uint32_t n, int64_t window, const int64_t *within) {
  outcome best;
  memset(&best, 0, sizeof(best));
  int64_t chain[FUNNEL_MAX_STEP];
  for (uint32_t i = 0; i < n; i++) {
    if (ev[i].k == 1) {
      chain[0] = ev[i].t;
      search(ev, n, window, within, 1, chain, &best);
    }
  }
  return best;
}

static void agrees_with_brute_force(void) {
  event ev[MAX_EVENTS];
  int64_t within[FUNNEL_MAX_STEP + 1];
  for (int round = 0; round < 40000; round++) {
    /* Every other round gives some steps a time limit up to the window. */
    int limited = round % 4 >= 2;
    uint32_t n = next_random(limited ? 14 : 10);
    int steps = 2 + (int)next_random(4);
    int64_t spread = 1 + next_random(round % 2 ? 12 : 1000);
    int64_t window = next_random((uint32_t)spread + 2);
    for (int k = 0; k <= FUNNEL_MAX_STEP; k++) {
      within[k] = next_random(2) ? window : next_random((uint32_t)window + 1);
    }
    for (uint32_t i = 0; i < n; i++) {
      ev[i] = (event){(int64_t)next_random((uint32_t)spread) - 500, 1 + (int)next_random((uint32_t)steps)};
    }
    outcome want = brute_force(ev, n, window, limited ? within : NULL);
    outcome got = run_within(ev, n, window, limited ? within : NULL);
    int same = got.level == want.level &&
               memcmp(got.times, want.times, sizeof(int64_t) * (size_t)want.level) == 0;
    if (!same) {
      char events[1024];
      size_t used = 0;
      for (uint32_t i = 0; i < n && used < sizeof(events); i++) {
        used += (size_t)snprintf(events + used, sizeof(events) - used, " %d@%" PRId64, ev[i].k,
                                 ev[i].t);
      }
      char g[512], w[512];
      format_times(g, sizeof(g), got.times, got.level > 0 ? got.level : 0);
      format_times(w, sizeof(w), want.times, want.level);
      CHECK(same,
            "window %" PRId64 ", limits %s, events (step@time)%s: level %d %s, expected level %d %s",
            window, limited ? "on" : "off", events, got.level, g, want.level, w);
      return;
    }
  }
}

int main(void) {
  window_is_inclusive();
  equal_times_count_as_in_order();
  one_event_fills_one_step();
  no_step_one();
  furthest_attempt_then_latest_start();
  step_times_of_the_chosen_chain();
  step_time_limits();
  packing();
  window_encoding();
  sort_matches_qsort();
  agrees_with_brute_force();
  if (failures) {
    fprintf(stderr, "funnel_algorithm_test: %d check(s) failed\n", failures);
    return 1;
  }
  printf("funnel_algorithm_test: all checks passed\n");
  return 0;
}
