/* The funnel algorithm over plain arrays: see funnel_algorithm.h. */
#include "funnel_algorithm.h"

static void insertion_sort(uint64_t *items, uint32_t n) {
  for (uint32_t i = 1; i < n; i++) {
    uint64_t v = items[i];
    uint32_t j = i;
    while (j > 0 && items[j - 1] > v) {
      items[j] = items[j - 1];
      j--;
    }
    items[j] = v;
  }
}

static void sift_down(uint64_t *items, uint32_t root, uint32_t n) {
  uint64_t v = items[root];
  for (uint32_t child; (child = 2 * root + 1) < n; root = child) {
    if (child + 1 < n && items[child + 1] > items[child]) {
      child++;
    }
    if (items[child] <= v) {
      break;
    }
    items[root] = items[child];
  }
  items[root] = v;
}

static void heap_sort(uint64_t *items, uint32_t n) {
  for (uint32_t i = n / 2; i-- > 0;) {
    sift_down(items, i, n);
  }
  for (uint32_t end = n; end-- > 1;) {
    uint64_t top = items[0];
    items[0] = items[end];
    items[end] = top;
    sift_down(items, 0, end);
  }
}

static void sort_range(uint64_t *items, uint32_t n, int depth) {
  while (n > 16) {
    if (depth-- == 0) {
      heap_sort(items, n);
      return;
    }
    uint64_t a = items[0], b = items[n / 2], c = items[n - 1];
    uint64_t pivot = a < b ? (b < c ? b : (a < c ? c : a)) : (a < c ? a : (b < c ? c : b));
    uint32_t i = 0, j = n - 1;
    for (;;) {
      while (items[i] < pivot) {
        i++;
      }
      while (items[j] > pivot) {
        j--;
      }
      if (i >= j) {
        break;
      }
      uint64_t swap = items[i];
      items[i] = items[j];
      items[j] = swap;
      i++;
      j--;
    }
    /* [0, j] <= pivot <= [j + 1, n): recurse into the smaller part, loop on the larger. */
    uint32_t left = j + 1;
    if (left < n - left) {
      sort_range(items, left, depth);
      items += left;
      n -= left;
    } else {
      sort_range(items + left, n - left, depth);
      n = left;
    }
  }
  insertion_sort(items, n);
}

void funnel_sort_items(uint64_t *items, uint32_t n) {
  int depth = 2;
  for (uint32_t m = n; m > 1; m >>= 1) {
    depth += 2;
  }
  sort_range(items, n, depth);
}

int funnel_furthest_level(uint64_t *items, uint32_t n, int64_t window, int64_t *start) {
  int64_t latest[FUNNEL_MAX_STEP + 1];
  int level = 0;
  int max_step = 0;
  funnel_sort_items(items, n);
  for (uint32_t j = 0; j < n; j++) {
    int k = funnel_item_step(items[j]);
    max_step = k > max_step ? k : max_step;
  }
  for (int k = 0; k <= max_step; k++) {
    latest[k] = FUNNEL_NO_START;
  }
  for (uint32_t j = 0; j < n; j++) {
    int k = funnel_item_step(items[j]);
    int64_t t = funnel_item_time(items[j]);
    if (k == 1) {
      latest[1] = t;
    } else if (latest[k - 1] != FUNNEL_NO_START && t - latest[k - 1] <= window) {
      latest[k] = latest[k - 1];
    } else {
      continue;
    }
    level = k > level ? k : level;
  }
  *start = level ? latest[level] : FUNNEL_NO_START;
  return level;
}

void funnel_greedy_chain(const uint64_t *items, uint32_t n, int64_t start, int level,
                         int64_t *out) {
  out[0] = start;
  int next = 2;
  for (uint32_t j = 0; j < n && next <= level; j++) {
    if (funnel_item_step(items[j]) == next && funnel_item_time(items[j]) >= start) {
      out[next - 1] = funnel_item_time(items[j]);
      next++;
    }
  }
}

int funnel_furthest_level_within(uint64_t *items, uint32_t n, int64_t window,
                                 const int64_t *within, int64_t *start) {
  int64_t latest[FUNNEL_MAX_STEP + 1];
  int64_t last[FUNNEL_MAX_STEP + 1];
  int level = 0;
  funnel_sort_items(items, n);
  for (int k = 0; k <= FUNNEL_MAX_STEP; k++) {
    latest[k] = last[k] = FUNNEL_NO_START;
  }
  for (uint32_t j = 0; j < n; j++) {
    int k = funnel_item_step(items[j]);
    int64_t t = funnel_item_time(items[j]);
    if (k == 1) {
      latest[1] = t;
    } else if (latest[k - 1] != FUNNEL_NO_START && t - latest[k - 1] <= window &&
               t - last[k - 1] <= within[k]) {
      latest[k] = latest[k - 1];
    } else {
      continue;
    }
    last[k] = t;
    level = k > level ? k : level;
  }
  *start = level ? latest[level] : FUNNEL_NO_START;
  return level;
}

void funnel_keep_chain_events(uint64_t *items, uint32_t n, int64_t window, const int64_t *within,
                              int64_t start, int level) {
  int64_t latest[FUNNEL_MAX_STEP + 1];
  int64_t last[FUNNEL_MAX_STEP + 1];
  for (int k = 0; k <= FUNNEL_MAX_STEP; k++) {
    latest[k] = last[k] = FUNNEL_NO_START;
  }
  /* Forward: the same recurrence; keep the events whose chains' latest start is start. */
  for (uint32_t j = 0; j < n; j++) {
    int k = funnel_item_step(items[j]);
    int64_t t = funnel_item_time(items[j]);
    int64_t from;
    if (k == 1) {
      from = t;
    } else if (latest[k - 1] != FUNNEL_NO_START && t - latest[k - 1] <= window &&
               t - last[k - 1] <= within[k]) {
      from = latest[k - 1];
    } else {
      items[j] &= ~(uint64_t)FUNNEL_STEP_MASK;
      continue;
    }
    latest[k] = from;
    last[k] = t;
    if (from != start || k > level) {
      items[j] &= ~(uint64_t)FUNNEL_STEP_MASK;
    }
  }
  /* Backward: keep those with a kept event of the next step at or after them, within its limit
     (next[k]: the earliest kept step-k time after the current item in (t, k) order). */
  int64_t next[FUNNEL_MAX_STEP + 2];
  for (int k = 0; k <= FUNNEL_MAX_STEP + 1; k++) {
    next[k] = INT64_MAX;
  }
  for (uint32_t j = n; j-- > 0;) {
    int k = funnel_item_step(items[j]);
    if (k == 0) {
      continue;
    }
    int64_t t = funnel_item_time(items[j]);
    if (k == level || (next[k + 1] != INT64_MAX && next[k + 1] - t <= within[k + 1])) {
      next[k] = t;
    } else {
      items[j] &= ~(uint64_t)FUNNEL_STEP_MASK;
    }
  }
}
