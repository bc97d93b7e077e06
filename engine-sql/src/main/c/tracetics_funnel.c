/*
 * tracetics_funnel: a DuckDB extension (C API, stable ABI v1.2.0) with one aggregate function,
 *
 *   tracetics_window_funnel(window_ms BIGINT, t BIGINT, k TINYINT) -> BIGINT[]
 *
 * used as GROUP BY user. Given one user's step events (time t in epoch milliseconds, step k in
 * 1..31; rows with a NULL t or k are ignored), it returns the step times of the user's chosen
 * attempt of an ordered funnel whose steps have pairwise different events: [t1, t2, ..., tL],
 * L = the furthest step reached (NULL when the user has no step-1 event). This is the engine's
 * fast plan (engine-sql/README.md, "How the SQL works") done per user in one pass, as ClickHouse's
 * windowFunnel does, instead of a sort of all users' events by (user, time):
 *
 *   - sort the user's events by (t, k), so that equal instants count as in order;
 *   - latest[j] = the latest start of a chain reaching step j so far: a step-1 event sets
 *     latest[1] = t; a step-j event sets latest[j] = latest[j-1] when t - latest[j-1] <= window
 *     (inclusive). Starts only grow along the order, so latest[L] at the end is the latest start
 *     of the furthest level;
 *   - the chosen attempt is that start; its step times are its greedy chain (the earliest event of
 *     each step after the previous one), which is where the latest start reached each step.
 *
 * Memory. A state is 24 bytes in DuckDB's hash table: the event count, the window and either
 * INLINE_ITEMS events or a pointer to a buffer, each event packed as ((t + 2^58) << 5 | k).
 * Buffers come from per-thread 2 MB chunks (bump allocation; a chunk is freed when its last
 * buffer is, up to POOL_MAX chunks are kept for the next query, and a thread's current chunk is
 * let go when the thread ends); buffers above ARENA_MAX_ITEMS events use malloc. A chunk is
 * advised as a transparent huge page (MADV_HUGEPAGE; the kernel may ignore it): with 64 KB chunks
 * every query faulted its hundreds of MB in again 4 KB at a time, and runs of the 50M-event
 * benchmark that took 1.5x as long as others were more frequent (engine-sql/README.md, "Memory"). This memory is
 * outside DuckDB's memory_limit: about 8 to 16 bytes per step event of the users being
 * aggregated, plus the pool.
 *
 * Combine takes over the source's buffer when it is the larger one: DuckDB's hash aggregate
 * destroys each source state right after combining it. The function is therefore meant for GROUP
 * BY only (not as a window function); the engine calls it, tenants' SQL cannot (FunctionPolicy).
 */
#define DUCKDB_EXTENSION_NAME tracetics_funnel
#include "duckdb_extension.h"

#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

DUCKDB_EXTENSION_EXTERN

#define INLINE_ITEMS 2
#define FIRST_BUFFER_ITEMS 8
#define STEP_BITS 5
#define STEP_MASK 31
#define MAX_STEP 31
#define TIME_BIAS ((int64_t)1 << 58)
#define PREFETCH_AHEAD 4

/* ------------------------------------------------------------------ buffers */

#define CHUNK_SHIFT 21
#define CHUNK_SIZE ((size_t)1 << CHUNK_SHIFT)
#define CHUNK_HEADER 64
#define ARENA_MAX_ITEMS 2048
#define POOL_MAX 16

typedef struct {
  long live; /* buffers handed out and not freed; plus CURRENT_BIAS while a thread allocates here */
} chunk_header;

/* While a chunk is some thread's current one its count carries this bias, so frees from any
   thread never take it to zero; the owner counts its allocations in a thread-local and settles
   both when it moves on. An allocation therefore costs no atomic operation. */
#define CURRENT_BIAS (1L << 40)

static __thread char *current_chunk;
static __thread size_t current_used;
static __thread long current_allocated;

/* Memory held by aggregates (chunks in use, malloc'd buffers; the pool of idle chunks is bounded
   apart, by POOL_MAX) and its cap, set by tracetics_funnel_memory_cap(). An allocation past the
   cap fails the query with NO_MEMORY, and the engine then runs that funnel on its SQL plan, which
   spills to disk within DuckDB's memory_limit instead. */
#define NO_MEMORY "tracetics_window_funnel: memory cap reached"
static size_t memory_cap = SIZE_MAX;
static size_t memory_used;

static int memory_reserve(size_t bytes) {
  size_t cap = __atomic_load_n(&memory_cap, __ATOMIC_RELAXED);
  if (__atomic_add_fetch(&memory_used, bytes, __ATOMIC_RELAXED) > cap) {
    __atomic_sub_fetch(&memory_used, bytes, __ATOMIC_RELAXED);
    return 0;
  }
  return 1;
}

static void memory_return(size_t bytes) { __atomic_sub_fetch(&memory_used, bytes, __ATOMIC_RELAXED); }

static pthread_mutex_t pool_lock = PTHREAD_MUTEX_INITIALIZER;
static char *pool[POOL_MAX];
static int pool_size;

static char *chunk_new(void) {
  if (!memory_reserve(CHUNK_SIZE)) {
    return NULL;
  }
  char *chunk = NULL;
  pthread_mutex_lock(&pool_lock);
  if (pool_size > 0) {
    chunk = pool[--pool_size];
  }
  pthread_mutex_unlock(&pool_lock);
  if (!chunk) {
    chunk = (char *)aligned_alloc(CHUNK_SIZE, CHUNK_SIZE);
#ifdef MADV_HUGEPAGE
    if (chunk) {
      madvise(chunk, CHUNK_SIZE, MADV_HUGEPAGE); /* advice only: a refusal changes nothing */
    }
#endif
  }
  if (!chunk) {
    memory_return(CHUNK_SIZE);
  }
  return chunk;
}

static void chunk_release(char *chunk, long count) {
  if (__atomic_sub_fetch(&((chunk_header *)chunk)->live, count, __ATOMIC_ACQ_REL) != 0) {
    return;
  }
  memory_return(CHUNK_SIZE);
  pthread_mutex_lock(&pool_lock);
  if (pool_size < POOL_MAX) {
    pool[pool_size++] = chunk;
    chunk = NULL;
  }
  pthread_mutex_unlock(&pool_lock);
  free(chunk);
}

/* Lets go of a thread's current chunk when the thread ends (DuckDB's and the JDBC callers'
   threads both run aggregates). */
static pthread_key_t thread_end_key;
static pthread_once_t thread_end_once = PTHREAD_ONCE_INIT;

static void retire_current_chunk(void *unused) {
  (void)unused;
  if (current_chunk) {
    chunk_release(current_chunk, CURRENT_BIAS - current_allocated);
    current_chunk = NULL;
  }
}

static void thread_end_init(void) { pthread_key_create(&thread_end_key, retire_current_chunk); }

/* A buffer of cap items; which allocator made it follows from cap alone. */
static uint64_t *buffer_alloc(uint32_t cap) {
  size_t bytes = (size_t)cap * sizeof(uint64_t);
  if (cap > ARENA_MAX_ITEMS) {
    if (!memory_reserve(bytes)) {
      return NULL;
    }
    uint64_t *buffer = (uint64_t *)malloc(bytes);
    if (!buffer) {
      memory_return(bytes);
    }
    return buffer;
  }
  if (!current_chunk || current_used + bytes > CHUNK_SIZE) {
    char *chunk = chunk_new();
    if (!chunk) {
      return NULL;
    }
    ((chunk_header *)chunk)->live = CURRENT_BIAS;
    if (current_chunk) {
      chunk_release(current_chunk, CURRENT_BIAS - current_allocated);
    } else {
      pthread_once(&thread_end_once, thread_end_init);
      pthread_setspecific(thread_end_key, chunk);
    }
    current_chunk = chunk;
    current_used = CHUNK_HEADER;
    current_allocated = 0;
  }
  uint64_t *buffer = (uint64_t *)(current_chunk + current_used);
  current_used += bytes;
  current_allocated++;
  return buffer;
}

static void buffer_free(uint64_t *buffer, uint32_t cap) {
  if (cap > ARENA_MAX_ITEMS) {
    free(buffer);
    memory_return((size_t)cap * sizeof(uint64_t));
    return;
  }
  chunk_release((char *)((uintptr_t)buffer & ~(uintptr_t)(CHUNK_SIZE - 1)), 1);
}

/* ------------------------------------------------------------------ state */

/* 24 bytes per state in DuckDB's hash table (most states hold one event: the hash aggregate
   makes a partial state per row and combines them later). The capacity of the buffer follows
   from the count: INLINE_ITEMS events live in the state, more in a buffer of FIRST_BUFFER_ITEMS
   that doubles whenever it is full (count a power of two). */
typedef struct {
  uint32_t count;
  uint32_t window; /* encoded, see window_encode */
  union {
    uint64_t inline_items[INLINE_ITEMS];
    uint64_t *buffer;
  } items;
} funnel_state;

/* Milliseconds below 2^31 as they are; longer windows in whole seconds with the top bit set.
   Returns 0 for a window that fits neither (the planner never sends one). */
static int window_encode(int64_t window_ms, uint32_t *encoded) {
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

static inline int64_t window_decode(uint32_t encoded) {
  return (encoded & 0x80000000u) ? (int64_t)(encoded & 0x7fffffffu) * 1000 : (int64_t)encoded;
}

static inline uint32_t buffer_cap(uint32_t count) {
  uint32_t cap = FIRST_BUFFER_ITEMS;
  while (cap < count) {
    cap *= 2;
  }
  return cap;
}

static inline uint64_t *state_items(funnel_state *s) {
  return s->count > INLINE_ITEMS ? s->items.buffer : s->items.inline_items;
}

static inline int state_push(funnel_state *s, uint64_t item) {
  uint32_t n = s->count;
  if (n < INLINE_ITEMS) {
    s->items.inline_items[n] = item;
  } else if (n == INLINE_ITEMS) {
    uint64_t *buffer = buffer_alloc(FIRST_BUFFER_ITEMS);
    if (!buffer) {
      return 0;
    }
    memcpy(buffer, s->items.inline_items, sizeof(s->items.inline_items));
    buffer[n] = item;
    s->items.buffer = buffer;
  } else {
    if (n >= FIRST_BUFFER_ITEMS && (n & (n - 1)) == 0) {
      if (n > UINT32_MAX / 2) {
        return 0;
      }
      uint64_t *buffer = buffer_alloc(2 * n);
      if (!buffer) {
        return 0;
      }
      memcpy(buffer, s->items.buffer, (size_t)n * sizeof(uint64_t));
      buffer_free(s->items.buffer, n);
      s->items.buffer = buffer;
    }
    s->items.buffer[n] = item;
  }
  s->count = n + 1;
  return 1;
}

static idx_t funnel_state_size(duckdb_function_info info) {
  (void)info;
  return sizeof(funnel_state);
}

static void funnel_init(duckdb_function_info info, duckdb_aggregate_state state) {
  (void)info;
  funnel_state *s = (funnel_state *)state;
  s->count = 0;
  s->window = 0;
}

static void funnel_update(duckdb_function_info info, duckdb_data_chunk input,
                          duckdb_aggregate_state *states) {
  idx_t rows = duckdb_data_chunk_get_size(input);
  duckdb_vector window_vector = duckdb_data_chunk_get_vector(input, 0);
  duckdb_vector time_vector = duckdb_data_chunk_get_vector(input, 1);
  duckdb_vector step_vector = duckdb_data_chunk_get_vector(input, 2);
  const int64_t *window = (const int64_t *)duckdb_vector_get_data(window_vector);
  const int64_t *time = (const int64_t *)duckdb_vector_get_data(time_vector);
  const int8_t *step = (const int8_t *)duckdb_vector_get_data(step_vector);
  uint64_t *window_valid = duckdb_vector_get_validity(window_vector);
  uint64_t *time_valid = duckdb_vector_get_validity(time_vector);
  uint64_t *step_valid = duckdb_vector_get_validity(step_vector);
  for (idx_t i = 0; i < rows; i++) {
    if ((time_valid && !duckdb_validity_row_is_valid(time_valid, i)) ||
        (step_valid && !duckdb_validity_row_is_valid(step_valid, i))) {
      continue;
    }
    uint32_t encoded;
    if ((window_valid && !duckdb_validity_row_is_valid(window_valid, i)) ||
        !window_encode(window[i], &encoded)) {
      duckdb_aggregate_function_set_error(
          info,
          "tracetics_window_funnel: the window must be 0..2^31-1 ms or whole seconds below 2^31");
      return;
    }
    if (step[i] < 1 || step[i] > MAX_STEP) {
      duckdb_aggregate_function_set_error(info,
                                          "tracetics_window_funnel: the step must be in 1..31");
      return;
    }
    if (time[i] < -TIME_BIAS || time[i] >= TIME_BIAS) {
      duckdb_aggregate_function_set_error(info,
                                          "tracetics_window_funnel: event time out of range");
      return;
    }
    funnel_state *s = (funnel_state *)states[i];
    s->window = encoded;
    uint64_t item = ((uint64_t)(time[i] + TIME_BIAS) << STEP_BITS) | (uint64_t)step[i];
    if (!state_push(s, item)) {
      duckdb_aggregate_function_set_error(info, NO_MEMORY);
      return;
    }
  }
}

static int push_all(funnel_state *into, const uint64_t *items, uint32_t count) {
  for (uint32_t j = 0; j < count; j++) {
    if (!state_push(into, items[j])) {
      return 0;
    }
  }
  return 1;
}

static void funnel_combine(duckdb_function_info info, duckdb_aggregate_state *source,
                           duckdb_aggregate_state *target, idx_t count) {
  for (idx_t i = 0; i < count; i++) {
    funnel_state *from = (funnel_state *)source[i];
    funnel_state *into = (funnel_state *)target[i];
    if (from->count == 0) {
      continue;
    }
    int pushed;
    if (into->count == 0) {
      /* Take the source over (the hash aggregate destroys the source right after). */
      *into = *from;
      from->count = 0;
      pushed = 1;
    } else if (from->count > into->count && from->count > INLINE_ITEMS) {
      /* Take over the source's larger buffer, then add the target's own events to it. */
      funnel_state old = *into;
      *into = *from;
      from->count = 0;
      pushed = push_all(into, state_items(&old), old.count);
      if (old.count > INLINE_ITEMS) {
        buffer_free(old.items.buffer, buffer_cap(old.count));
      }
    } else {
      pushed = push_all(into, state_items(from), from->count);
    }
    if (!pushed) {
      duckdb_aggregate_function_set_error(info, NO_MEMORY);
      return;
    }
  }
}

/* ------------------------------------------------------------------ finalize */

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

/* Introsort: quicksort (median of three), insertion sort for short ranges, heapsort when the
   recursion gets deep, so no input makes it quadratic. Sorts in place, allocates nothing. */
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

static void sort_items(uint64_t *items, uint32_t n) {
  int depth = 2;
  for (uint32_t m = n; m > 1; m >>= 1) {
    depth += 2;
  }
  sort_range(items, n, depth);
}

static inline int item_step(uint64_t item) { return (int)(item & STEP_MASK); }

static inline int64_t item_time(uint64_t item) {
  return (int64_t)(item >> STEP_BITS) - TIME_BIAS;
}

#define NO_START INT64_MIN

/* Sorts the state's items; returns the furthest level (0: no step-1 event) and its latest start. */
static int furthest_level(funnel_state *s, int64_t *start) {
  uint64_t *items = state_items(s);
  uint32_t n = s->count;
  int64_t window = window_decode(s->window);
  int64_t latest[MAX_STEP + 1];
  int level = 0;
  int max_step = 0;
  sort_items(items, n);
  for (uint32_t j = 0; j < n; j++) {
    int k = item_step(items[j]);
    max_step = k > max_step ? k : max_step;
  }
  for (int k = 0; k <= max_step; k++) {
    latest[k] = NO_START;
  }
  for (uint32_t j = 0; j < n; j++) {
    int k = item_step(items[j]);
    int64_t t = item_time(items[j]);
    if (k == 1) {
      latest[1] = t;
    } else if (latest[k - 1] != NO_START && t - latest[k - 1] <= window) {
      latest[k] = latest[k - 1];
    } else {
      continue;
    }
    level = k > level ? k : level;
  }
  *start = level ? latest[level] : NO_START;
  return level;
}

static void funnel_finalize(duckdb_function_info info, duckdb_aggregate_state *source,
                            duckdb_vector result, idx_t count, idx_t offset) {
  duckdb_list_entry *entries = (duckdb_list_entry *)duckdb_vector_get_data(result);
  duckdb_vector child = duckdb_list_vector_get_child(result);
  idx_t size = duckdb_list_vector_get_size(result);
  idx_t capacity = size;
  for (idx_t i = 0; i < count; i++) {
    uint32_t n = ((funnel_state *)source[i])->count;
    capacity += n < MAX_STEP ? n : MAX_STEP;
  }
  if (duckdb_list_vector_reserve(result, capacity) != DuckDBSuccess) {
    duckdb_aggregate_function_set_error(info, NO_MEMORY);
    return;
  }
  int64_t *out = (int64_t *)duckdb_vector_get_data(child);
  uint64_t *validity = NULL;
  for (idx_t i = 0; i < count; i++) {
    if (i + PREFETCH_AHEAD < count) {
      funnel_state *ahead = (funnel_state *)source[i + PREFETCH_AHEAD];
      if (ahead->count > INLINE_ITEMS) {
        __builtin_prefetch(ahead->items.buffer);
      }
    }
    funnel_state *s = (funnel_state *)source[i];
    idx_t row = offset + i;
    int64_t start;
    int level = furthest_level(s, &start);
    entries[row].offset = size;
    entries[row].length = (uint64_t)level;
    if (level == 0) {
      if (!validity) {
        duckdb_vector_ensure_validity_writable(result);
        validity = duckdb_vector_get_validity(result);
      }
      duckdb_validity_set_row_invalid(validity, row);
      continue;
    }
    /* The greedy chain from start: the earliest event of each next step, in (t, k) order. */
    uint64_t *items = state_items(s);
    out[size] = start;
    int next = 2;
    for (uint32_t j = 0; j < s->count && next <= level; j++) {
      if (item_step(items[j]) == next && item_time(items[j]) >= start) {
        out[size + next - 1] = item_time(items[j]);
        next++;
      }
    }
    size += (idx_t)level;
  }
  duckdb_list_vector_set_size(result, size);
}

static void funnel_destroy(duckdb_aggregate_state *states, idx_t count) {
  for (idx_t i = 0; i < count; i++) {
    funnel_state *s = (funnel_state *)states[i];
    if (s->count > INLINE_ITEMS) {
      buffer_free(s->items.buffer, buffer_cap(s->count));
    }
    s->count = 0;
  }
}

/* ------------------------------------------------------------------ memory cap */

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
    __atomic_store_n(&memory_cap, (size_t)bytes[i], __ATOMIC_RELAXED);
    out[i] = (int64_t)__atomic_load_n(&memory_used, __ATOMIC_RELAXED);
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

/* ------------------------------------------------------------------ registration */

DUCKDB_EXTENSION_ENTRYPOINT(duckdb_connection connection, duckdb_extension_info info,
                            struct duckdb_extension_access *access) {
  duckdb_aggregate_function function = duckdb_create_aggregate_function();
  duckdb_aggregate_function_set_name(function, "tracetics_window_funnel");
  duckdb_logical_type bigint = duckdb_create_logical_type(DUCKDB_TYPE_BIGINT);
  duckdb_logical_type tinyint = duckdb_create_logical_type(DUCKDB_TYPE_TINYINT);
  duckdb_logical_type times = duckdb_create_list_type(bigint);
  duckdb_aggregate_function_add_parameter(function, bigint);
  duckdb_aggregate_function_add_parameter(function, bigint);
  duckdb_aggregate_function_add_parameter(function, tinyint);
  duckdb_aggregate_function_set_return_type(function, times);
  duckdb_aggregate_function_set_functions(function, funnel_state_size, funnel_init, funnel_update,
                                          funnel_combine, funnel_finalize);
  duckdb_aggregate_function_set_destructor(function, funnel_destroy);
  duckdb_state registered = duckdb_register_aggregate_function(connection, function);
  duckdb_destroy_aggregate_function(&function);
  duckdb_destroy_logical_type(&bigint);
  duckdb_destroy_logical_type(&tinyint);
  duckdb_destroy_logical_type(&times);
  if (registered != DuckDBSuccess || !register_memory_cap(connection)) {
    access->set_error(info, "could not register the tracetics_funnel functions");
    return false;
  }
  return true;
}
