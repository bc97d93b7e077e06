/*
 * tracetics_funnel: a DuckDB extension (C API, stable ABI v1.2.0) with one aggregate function,
 *
 *   tracetics_window_funnel(window_ms BIGINT, u BIGINT, t BIGINT, k TINYINT[, within_ms BIGINT[]])
 *     -> STRUCT(u BIGINT, tt BIGINT[])[]
 *
 * used as GROUP BY u >> b with b <= USER_BITS (12): a group holds the events of up to 2^b users
 * whose keys u share all bits above the lowest b. Given those users' step events (time t in epoch
 * milliseconds, step k in 1..31; rows with a NULL u, t or k are ignored), it returns one entry per
 * user of the group with a step-1 event: the user and the step times of its chosen attempt of an
 * ordered funnel whose steps have pairwise different events, tt = [t1, t2, ..., tL], L = the
 * furthest step reached. This is the engine's fast plan (engine-sql/README.md, "How the SQL
 * works") done per user in one pass, as ClickHouse's windowFunnel does, instead of a sort of all
 * users' events by (user, time). The overload with within_ms adds per-step time limits:
 * within_ms[k] (1-based, as SQL lists are) is step k's longest time after step k - 1, in the
 * window's encoding; step 1's element is ignored and steps past the list's end have none. The
 * limits are the same on every row (the plan binds one list); a state keeps them from its first
 * row.
 *
 * This file is the DuckDB glue: the functions' registration, the aggregate's state and its update,
 * combine, finalize and destroy callbacks. The per-user algorithm is funnel_algorithm.c; the
 * memory cap is funnel_memory.c.
 *
 * Why a block of users per group and not one user: DuckDB's hash aggregate then keeps about
 * users / 2^b groups (a few thousand, in cache) instead of one per user, and a row costs an append
 * to its group's list instead of a random access to its user's own buffer; the group's events are
 * put in user order with a counting sort on the low bits when the group is finalized
 * (engine-sql/README.md, "The native aggregate").
 *
 * Memory. A state is 40 bytes in DuckDB's hash table plus a list of segments of 10 bytes per event
 * (the packed event of funnel_algorithm.h and the user's low bits), from 16 events doubling up
 * to SEGMENT_CAP; appending never moves events, and combine links the source's list into the
 * target's. Segments come from malloc. Finalizing takes 8 bytes per event of the
 * largest group being finalized, plus 40 KB. All of it is outside DuckDB's memory_limit and counted
 * against the cap that tracetics_funnel_memory_cap() sets.
 *
 * Giving up. A group that cannot get memory (the cap, or the system refusing) frees what it holds,
 * ignores its further rows and finalizes to NULL instead of a list: that NULL is the aggregate's
 * result code, which the engine's plan reads as a column of its answer and then runs that funnel on
 * its SQL plan, which spills to disk within DuckDB's memory_limit instead. A result cannot be NULL
 * otherwise (a group without a step-1 user is an empty list). Only bad arguments (a caller's bug)
 * fail the query with an error.
 *
 * The hash aggregate destroys each source state right after combining it, and combine takes the
 * source's segments over. The function is therefore meant for GROUP BY only (not as a window
 * function); the engine calls it, tenants' SQL cannot (FunctionPolicy).
 */
#define DUCKDB_EXTENSION_NAME tracetics_funnel
#include "duckdb_extension.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "funnel_algorithm.h"
#include "funnel_memory.h"

DUCKDB_EXTENSION_EXTERN

#define USER_BITS 12
#define BLOCK_USERS (1u << USER_BITS)
#define FIRST_CAP 16
#define ITEM_BYTES (sizeof(uint64_t) + sizeof(uint16_t))

/* ------------------------------------------------------------------ state */

/* A group's events are kept in a list of malloc'd segments, each counted against the cap
   (funnel_memory.h): appending never moves them, and combining two states links their lists.
   Segments double from FIRST_CAP up to SEGMENT_CAP events. */
typedef struct segment {
  struct segment *next;
  uint32_t count;
  uint32_t cap;
  uint64_t items[]; /* cap items, then cap uint16_t: each item's user, its low USER_BITS bits */
} segment;

#define SEGMENT_CAP 2048

static inline uint16_t *segment_users(segment *g) { return (uint16_t *)(g->items + g->cap); }

typedef struct {
  segment *head; /* NULL: no rows yet */
  segment *tail; /* where rows are appended */
  int64_t high;  /* u >> USER_BITS of every row */
  uint32_t count;
  uint32_t window; /* encoded, see funnel_window_encode */
  uint32_t gave_up; /* 1: out of memory, finalizes to NULL (see "Giving up" above) */
} funnel_state;

/* The state of the overload with time limits: the base state, then the limits. */
typedef struct {
  funnel_state base;
  uint32_t within_set;   /* 1: within holds the limits (from the state's first row) */
  uint32_t within_count; /* the list's length: steps 1..within_count have an element */
  uint32_t within[FUNNEL_MAX_STEP]; /* encoded as the window; [k - 1] is step k's limit */
} funnel_within_state;

static size_t segment_bytes(uint32_t cap) {
  return (sizeof(segment) + (size_t)cap * ITEM_BYTES + 7) & ~(size_t)7;
}

static segment *segment_new(uint32_t cap) {
  size_t bytes = segment_bytes(cap);
  if (!funnel_memory_reserve(bytes)) {
    return NULL;
  }
  segment *g = (segment *)malloc(bytes);
  if (!g) {
    funnel_memory_unreserve(bytes);
    return NULL;
  }
  g->next = NULL;
  g->count = 0;
  g->cap = cap;
  return g;
}

static void state_free(funnel_state *s) {
  for (segment *g = s->head, *next; g; g = next) {
    next = g->next;
    funnel_memory_unreserve(segment_bytes(g->cap));
    free(g);
  }
  s->head = s->tail = NULL;
  s->count = 0;
}

static idx_t funnel_state_size(duckdb_function_info info) {
  (void)info;
  return sizeof(funnel_state);
}

static idx_t funnel_within_state_size(duckdb_function_info info) {
  (void)info;
  return sizeof(funnel_within_state);
}

static void funnel_init(duckdb_function_info info, duckdb_aggregate_state state) {
  (void)info;
  funnel_state *s = (funnel_state *)state;
  s->head = s->tail = NULL;
  s->high = 0;
  s->count = 0;
  s->window = 0;
  s->gave_up = 0;
}

static void funnel_within_init(duckdb_function_info info, duckdb_aggregate_state state) {
  funnel_init(info, state);
  funnel_within_state *s = (funnel_within_state *)state;
  s->within_set = 0;
  s->within_count = 0;
}

/* The group cannot get the memory it needs: it lets go of its rows and finalizes to NULL. */
static void give_up(funnel_state *s) {
  state_free(s);
  s->gave_up = 1;
}

#define NOT_ONE_BLOCK "tracetics_window_funnel: the users of a group must share u >> 12"

/* The limits of one row's within_ms list, decoded (and checked) once per distinct list entry. */
typedef struct {
  int ready;
  duckdb_list_entry entry;
  uint32_t count;
  uint32_t within[FUNNEL_MAX_STEP];
} within_cache;

#define BAD_WITHIN \
  "tracetics_window_funnel: within_ms must be a list of at most 31 limits, each 0..2^31-1 ms or " \
  "whole seconds below 2^31"

/* Reads row i's within_ms into cache; 0 (with the error set) when it is not a valid list. */
static int read_within(duckdb_function_info info, duckdb_vector list, idx_t i,
                       within_cache *cache) {
  uint64_t *valid = duckdb_vector_get_validity(list);
  if (valid && !duckdb_validity_row_is_valid(valid, i)) {
    duckdb_aggregate_function_set_error(info, BAD_WITHIN);
    return 0;
  }
  duckdb_list_entry entry = ((duckdb_list_entry *)duckdb_vector_get_data(list))[i];
  if (cache->ready && entry.offset == cache->entry.offset && entry.length == cache->entry.length) {
    return 1;
  }
  duckdb_vector child = duckdb_list_vector_get_child(list);
  const int64_t *values = (const int64_t *)duckdb_vector_get_data(child);
  uint64_t *child_valid = duckdb_vector_get_validity(child);
  if (entry.length > FUNNEL_MAX_STEP) {
    duckdb_aggregate_function_set_error(info, BAD_WITHIN);
    return 0;
  }
  for (idx_t j = 0; j < entry.length; j++) {
    idx_t at = entry.offset + j;
    if ((child_valid && !duckdb_validity_row_is_valid(child_valid, at)) ||
        !funnel_window_encode(values[at], &cache->within[j])) {
      duckdb_aggregate_function_set_error(info, BAD_WITHIN);
      return 0;
    }
  }
  cache->count = (uint32_t)entry.length;
  cache->entry = entry;
  cache->ready = 1;
  return 1;
}

/* The update of both overloads; with_within: the states are funnel_within_state and column 4 is
   within_ms. */
static void update_rows(duckdb_function_info info, duckdb_data_chunk input,
                        duckdb_aggregate_state *states, int with_within) {
  idx_t rows = duckdb_data_chunk_get_size(input);
  duckdb_vector within_vector = with_within ? duckdb_data_chunk_get_vector(input, 4) : NULL;
  within_cache cache;
  cache.ready = 0;
  duckdb_vector window_vector = duckdb_data_chunk_get_vector(input, 0);
  duckdb_vector user_vector = duckdb_data_chunk_get_vector(input, 1);
  duckdb_vector time_vector = duckdb_data_chunk_get_vector(input, 2);
  duckdb_vector step_vector = duckdb_data_chunk_get_vector(input, 3);
  const int64_t *window = (const int64_t *)duckdb_vector_get_data(window_vector);
  const int64_t *user = (const int64_t *)duckdb_vector_get_data(user_vector);
  const int64_t *time = (const int64_t *)duckdb_vector_get_data(time_vector);
  const int8_t *step = (const int8_t *)duckdb_vector_get_data(step_vector);
  uint64_t *window_valid = duckdb_vector_get_validity(window_vector);
  uint64_t *user_valid = duckdb_vector_get_validity(user_vector);
  uint64_t *time_valid = duckdb_vector_get_validity(time_vector);
  uint64_t *step_valid = duckdb_vector_get_validity(step_vector);
  for (idx_t i = 0; i < rows; i++) {
    if ((user_valid && !duckdb_validity_row_is_valid(user_valid, i)) ||
        (time_valid && !duckdb_validity_row_is_valid(time_valid, i)) ||
        (step_valid && !duckdb_validity_row_is_valid(step_valid, i))) {
      continue;
    }
    uint32_t encoded;
    if ((window_valid && !duckdb_validity_row_is_valid(window_valid, i)) ||
        !funnel_window_encode(window[i], &encoded)) {
      duckdb_aggregate_function_set_error(
          info,
          "tracetics_window_funnel: the window must be 0..2^31-1 ms or whole seconds below 2^31");
      return;
    }
    if (step[i] < 1 || step[i] > FUNNEL_MAX_STEP) {
      duckdb_aggregate_function_set_error(info,
                                          "tracetics_window_funnel: the step must be in 1..31");
      return;
    }
    if (time[i] < -FUNNEL_TIME_BIAS || time[i] >= FUNNEL_TIME_BIAS) {
      duckdb_aggregate_function_set_error(info,
                                          "tracetics_window_funnel: event time out of range");
      return;
    }
    if (with_within) {
      if (!read_within(info, within_vector, i, &cache)) {
        return;
      }
      funnel_within_state *ws = (funnel_within_state *)states[i];
      if (!ws->within_set) {
        memcpy(ws->within, cache.within, sizeof(uint32_t) * cache.count);
        ws->within_count = cache.count;
        ws->within_set = 1;
      }
    }
    funnel_state *s = (funnel_state *)states[i];
    if (s->gave_up) {
      continue;
    }
    int64_t high = user[i] >> USER_BITS;
    if (!s->head) {
      s->high = high;
    } else if (s->high != high) {
      duckdb_aggregate_function_set_error(info, NOT_ONE_BLOCK);
      return;
    }
    s->window = encoded;
    if (s->count == UINT32_MAX) { /* a group counts its events in 32 bits */
      give_up(s);
      continue;
    }
    segment *g = s->tail;
    if (!g || g->count == g->cap) {
      segment *next = segment_new(!g ? FIRST_CAP : g->cap < SEGMENT_CAP ? 2 * g->cap : SEGMENT_CAP);
      if (!next) {
        give_up(s);
        continue;
      }
      if (g) {
        g->next = next;
      } else {
        s->head = next;
      }
      s->tail = g = next;
    }
    g->items[g->count] = funnel_item(time[i], step[i]);
    segment_users(g)[g->count] = (uint16_t)(user[i] & (BLOCK_USERS - 1));
    g->count++;
    s->count++;
  }
}

static void funnel_update(duckdb_function_info info, duckdb_data_chunk input,
                          duckdb_aggregate_state *states) {
  update_rows(info, input, states, 0);
}

static void funnel_within_update(duckdb_function_info info, duckdb_data_chunk input,
                                 duckdb_aggregate_state *states) {
  update_rows(info, input, states, 1);
}

static void funnel_combine(duckdb_function_info info, duckdb_aggregate_state *source,
                           duckdb_aggregate_state *target, idx_t count) {
  for (idx_t i = 0; i < count; i++) {
    funnel_state *from = (funnel_state *)source[i];
    funnel_state *into = (funnel_state *)target[i];
    if (from->gave_up || into->gave_up) {
      give_up(from);
      give_up(into);
      continue;
    }
    if (!from->head) {
      continue;
    }
    if (!into->head) {
      *into = *from;
    } else if (into->high != from->high) {
      duckdb_aggregate_function_set_error(info, NOT_ONE_BLOCK);
      return;
    } else if (from->count > UINT32_MAX - into->count) {
      give_up(from);
      give_up(into);
      continue;
    } else {
      /* Link the source's segments in front (the target's tail stays where rows go). */
      from->tail->next = into->head;
      into->head = from->head;
      into->count += from->count;
    }
    /* The hash aggregate destroys the source right after: it no longer owns its segments. */
    from->head = from->tail = NULL;
    from->count = 0;
  }
}

static void funnel_within_combine(duckdb_function_info info, duckdb_aggregate_state *source,
                                  duckdb_aggregate_state *target, idx_t count) {
  for (idx_t i = 0; i < count; i++) {
    funnel_within_state *from = (funnel_within_state *)source[i];
    funnel_within_state *into = (funnel_within_state *)target[i];
    if (from->within_set && !into->within_set) {
      memcpy(into->within, from->within, sizeof(into->within));
      into->within_count = from->within_count;
      into->within_set = 1;
    }
  }
  funnel_combine(info, source, target, count);
}

static void funnel_destroy(duckdb_aggregate_state *states, idx_t count) {
  for (idx_t i = 0; i < count; i++) {
    state_free((funnel_state *)states[i]);
  }
}

/* Work space of one finalize call: per user of a group (its low bits) a count and a position, the
   users in order of first appearance, and the group's items sorted by user. counts is all zero
   between groups: each group clears only what it counted. */
typedef struct {
  uint32_t counts[BLOCK_USERS];
  uint32_t next[BLOCK_USERS];
  uint16_t seen[BLOCK_USERS];
  uint64_t sorted[];
} finalize_work;

/* Finalizes result row `row` to NULL: the group gave up. at: the list's current size. */
static void finalize_given_up(duckdb_vector result, idx_t row, idx_t at) {
  duckdb_list_entry *entries = (duckdb_list_entry *)duckdb_vector_get_data(result);
  entries[row].offset = at;
  entries[row].length = 0;
  duckdb_vector_ensure_validity_writable(result);
  duckdb_validity_set_row_invalid(duckdb_vector_get_validity(result), row);
}

/* The finalize of both overloads (with_within: as in update_rows). */
static void finalize_states(duckdb_aggregate_state *source, duckdb_vector result, idx_t count,
                            idx_t offset, int with_within) {
  uint32_t most = 0;
  for (idx_t i = 0; i < count; i++) {
    uint32_t n = ((funnel_state *)source[i])->count;
    most = n > most ? n : most;
  }
  size_t work_bytes = sizeof(finalize_work) + (size_t)most * sizeof(uint64_t);
  finalize_work *w = NULL;
  if (funnel_memory_reserve(work_bytes)) {
    w = (finalize_work *)malloc(work_bytes);
    if (!w) {
      funnel_memory_unreserve(work_bytes);
    }
  }
  if (!w) {
    for (idx_t i = 0; i < count; i++) {
      finalize_given_up(result, offset + i, duckdb_list_vector_get_size(result));
    }
    return;
  }
  memset(w->counts, 0, sizeof(w->counts));
  duckdb_list_entry *entries = (duckdb_list_entry *)duckdb_vector_get_data(result);
  duckdb_vector rows = duckdb_list_vector_get_child(result);
  duckdb_vector times = duckdb_struct_vector_get_child(rows, 1);
  idx_t row_count = duckdb_list_vector_get_size(result);
  idx_t time_count = duckdb_list_vector_get_size(times);
  for (idx_t i = 0; i < count; i++) {
    funnel_state *s = (funnel_state *)source[i];
    if (s->gave_up) {
      finalize_given_up(result, offset + i, row_count);
      continue;
    }
    /* Counting sort by user (the order of the users themselves does not matter). */
    uint32_t distinct = 0;
    for (segment *g = s->head; g; g = g->next) {
      uint16_t *low = segment_users(g);
      for (uint32_t j = 0; j < g->count; j++) {
        if (w->counts[low[j]]++ == 0) {
          w->seen[distinct++] = low[j];
        }
      }
    }
    uint32_t at = 0;
    uint32_t most_times = 0;
    for (uint32_t d = 0; d < distinct; d++) {
      uint32_t c = w->counts[w->seen[d]];
      w->next[w->seen[d]] = at;
      at += c;
      most_times += c < FUNNEL_MAX_STEP ? c : FUNNEL_MAX_STEP;
    }
    for (segment *g = s->head; g; g = g->next) {
      uint16_t *low = segment_users(g);
      for (uint32_t j = 0; j < g->count; j++) {
        w->sorted[w->next[low[j]]++] = g->items[j];
      }
    }
    if (duckdb_list_vector_reserve(result, row_count + distinct) != DuckDBSuccess ||
        duckdb_list_vector_reserve(times, time_count + most_times) != DuckDBSuccess) {
      for (uint32_t d = 0; d < distinct; d++) {
        w->counts[w->seen[d]] = 0;
      }
      finalize_given_up(result, offset + i, row_count);
      continue;
    }
    int64_t *out_user = (int64_t *)duckdb_vector_get_data(duckdb_struct_vector_get_child(rows, 0));
    duckdb_list_entry *out_entries = (duckdb_list_entry *)duckdb_vector_get_data(times);
    int64_t *out_times = (int64_t *)duckdb_vector_get_data(duckdb_list_vector_get_child(times));
    int64_t window = funnel_window_decode(s->window);
    /* With limits: within[k] for steps 2..31 (none: the window, which bounds them anyway). */
    int64_t within[FUNNEL_MAX_STEP + 1];
    if (with_within) {
      funnel_within_state *ws = (funnel_within_state *)source[i];
      for (int k = 0; k <= FUNNEL_MAX_STEP; k++) {
        within[k] = k >= 2 && (uint32_t)k <= ws->within_count
                        ? funnel_window_decode(ws->within[k - 1])
                        : window;
      }
    }
    entries[offset + i].offset = row_count;
    uint32_t end = 0;
    for (uint32_t d = 0; d < distinct; d++) {
      uint16_t user = w->seen[d];
      uint32_t c = w->counts[user];
      w->counts[user] = 0;
      uint64_t *items = w->sorted + end;
      end += c;
      int64_t start;
      int level = with_within ? funnel_furthest_level_within(items, c, window, within, &start)
                              : funnel_furthest_level(items, c, window, &start);
      if (level == 0) {
        continue;
      }
      if (with_within) {
        funnel_keep_chain_events(items, c, window, within, start, level);
      }
      funnel_greedy_chain(items, c, start, level, out_times + time_count);
      out_user[row_count] = (int64_t)((uint64_t)s->high << USER_BITS) | user;
      out_entries[row_count].offset = time_count;
      out_entries[row_count].length = (uint64_t)level;
      row_count++;
      time_count += (idx_t)level;
    }
    entries[offset + i].length = row_count - entries[offset + i].offset;
  }
  duckdb_list_vector_set_size(times, time_count);
  duckdb_list_vector_set_size(result, row_count);
  free(w);
  funnel_memory_unreserve(work_bytes);
}

static void funnel_finalize(duckdb_function_info info, duckdb_aggregate_state *source,
                            duckdb_vector result, idx_t count, idx_t offset) {
  (void)info;
  finalize_states(source, result, count, offset, 0);
}

static void funnel_within_finalize(duckdb_function_info info, duckdb_aggregate_state *source,
                                   duckdb_vector result, idx_t count, idx_t offset) {
  (void)info;
  finalize_states(source, result, count, offset, 1);
}

/* ------------------------------------------------------------------ memory cap function */

/* tracetics_funnel_memory_cap(bytes BIGINT) -> BIGINT: sets the cap for the whole process (every
   DuckDB instance that loaded this extension shares it) and returns the memory in use. */
static void memory_cap_function(duckdb_function_info info, duckdb_data_chunk input,
                                duckdb_vector output) {
  idx_t rows = duckdb_data_chunk_get_size(input);
  const int64_t *bytes = (const int64_t *)duckdb_vector_get_data(duckdb_data_chunk_get_vector(input, 0));
  int64_t *out = (int64_t *)duckdb_vector_get_data(output);
  for (idx_t i = 0; i < rows; i++) {
    if (bytes[i] < 0) {
      duckdb_scalar_function_set_error(info, "tracetics_funnel_memory_cap: bytes must be >= 0");
      return;
    }
    funnel_memory_set_cap((size_t)bytes[i]);
    out[i] = (int64_t)funnel_memory_used();
  }
}

static int register_memory_cap(duckdb_connection connection) {
  duckdb_scalar_function function = duckdb_create_scalar_function();
  duckdb_scalar_function_set_name(function, "tracetics_funnel_memory_cap");
  duckdb_logical_type bigint = duckdb_create_logical_type(DUCKDB_TYPE_BIGINT);
  duckdb_scalar_function_add_parameter(function, bigint);
  duckdb_scalar_function_set_return_type(function, bigint);
  duckdb_scalar_function_set_volatile(function);
  duckdb_scalar_function_set_function(function, memory_cap_function);
  duckdb_state registered = duckdb_register_scalar_function(connection, function);
  duckdb_destroy_scalar_function(&function);
  duckdb_destroy_logical_type(&bigint);
  return registered == DuckDBSuccess;
}

/* One overload of tracetics_window_funnel: with_within adds the within_ms list. */
static duckdb_aggregate_function funnel_function(int with_within) {
  duckdb_aggregate_function function = duckdb_create_aggregate_function();
  duckdb_aggregate_function_set_name(function, "tracetics_window_funnel");
  duckdb_logical_type bigint = duckdb_create_logical_type(DUCKDB_TYPE_BIGINT);
  duckdb_logical_type tinyint = duckdb_create_logical_type(DUCKDB_TYPE_TINYINT);
  duckdb_logical_type times = duckdb_create_list_type(bigint);
  duckdb_logical_type members[] = {bigint, times};
  const char *names[] = {"u", "tt"};
  duckdb_logical_type row = duckdb_create_struct_type(members, names, 2);
  duckdb_logical_type rows = duckdb_create_list_type(row);
  duckdb_aggregate_function_add_parameter(function, bigint);
  duckdb_aggregate_function_add_parameter(function, bigint);
  duckdb_aggregate_function_add_parameter(function, bigint);
  duckdb_aggregate_function_add_parameter(function, tinyint);
  if (with_within) {
    duckdb_aggregate_function_add_parameter(function, times);
    duckdb_aggregate_function_set_functions(function, funnel_within_state_size, funnel_within_init,
                                            funnel_within_update, funnel_within_combine,
                                            funnel_within_finalize);
  } else {
    duckdb_aggregate_function_set_functions(function, funnel_state_size, funnel_init,
                                            funnel_update, funnel_combine, funnel_finalize);
  }
  duckdb_aggregate_function_set_return_type(function, rows);
  duckdb_aggregate_function_set_destructor(function, funnel_destroy);
  duckdb_destroy_logical_type(&rows);
  duckdb_destroy_logical_type(&row);
  duckdb_destroy_logical_type(&times);
  duckdb_destroy_logical_type(&tinyint);
  duckdb_destroy_logical_type(&bigint);
  return function;
}

static int register_funnel(duckdb_connection connection) {
  duckdb_aggregate_function_set set = duckdb_create_aggregate_function_set("tracetics_window_funnel");
  int ok = 1;
  for (int with_within = 0; with_within <= 1; with_within++) {
    duckdb_aggregate_function function = funnel_function(with_within);
    ok = ok && duckdb_add_aggregate_function_to_set(set, function) == DuckDBSuccess;
    duckdb_destroy_aggregate_function(&function);
  }
  ok = ok && duckdb_register_aggregate_function_set(connection, set) == DuckDBSuccess;
  duckdb_destroy_aggregate_function_set(&set);
  return ok;
}

/* ------------------------------------------------------------------ registration */

DUCKDB_EXTENSION_ENTRYPOINT(duckdb_connection connection, duckdb_extension_info info,
                            struct duckdb_extension_access *access) {
  if (!register_funnel(connection) || !register_memory_cap(connection)) {
    access->set_error(info, "could not register the tracetics_funnel functions");
    return false;
  }
  return true;
}
