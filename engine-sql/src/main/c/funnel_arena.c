/* The native aggregate's memory cap and chunk allocator: see funnel_arena.h. */
#include "funnel_arena.h"

#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/mman.h>

#define CHUNK_SIZE FUNNEL_ARENA_CHUNK_SIZE
#define CHUNK_HEADER 64
#define POOL_MAX FUNNEL_ARENA_POOL_MAX

/* ------------------------------------------------------------------ memory cap */

static size_t memory_cap = SIZE_MAX;
static size_t memory_used;

void funnel_arena_set_cap(size_t bytes) { __atomic_store_n(&memory_cap, bytes, __ATOMIC_RELAXED); }

size_t funnel_arena_used(void) { return __atomic_load_n(&memory_used, __ATOMIC_RELAXED); }

int funnel_arena_reserve(size_t bytes) {
  size_t cap = __atomic_load_n(&memory_cap, __ATOMIC_RELAXED);
  if (__atomic_add_fetch(&memory_used, bytes, __ATOMIC_RELAXED) > cap) {
    __atomic_sub_fetch(&memory_used, bytes, __ATOMIC_RELAXED);
    return 0;
  }
  return 1;
}

void funnel_arena_unreserve(size_t bytes) {
  __atomic_sub_fetch(&memory_used, bytes, __ATOMIC_RELAXED);
}

/* ------------------------------------------------------------------ chunks */

typedef struct {
  long live; /* blocks handed out and not freed; plus CURRENT_BIAS while a thread allocates here */
} chunk_header;

/* While a chunk is some thread's current one its count carries this bias, so frees from any
   thread never take it to zero; the owner counts its allocations in a thread-local and settles
   both when it moves on. An allocation therefore costs no atomic operation. */
#define CURRENT_BIAS (1L << 40)

static __thread char *current_chunk;
static __thread size_t current_used;
static __thread long current_allocated;

static pthread_mutex_t pool_lock = PTHREAD_MUTEX_INITIALIZER;
static char *pool[POOL_MAX];
static int pool_size;

static char *chunk_new(void) {
  if (!funnel_arena_reserve(CHUNK_SIZE)) {
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
    funnel_arena_unreserve(CHUNK_SIZE);
  }
  return chunk;
}

static void chunk_release(char *chunk, long count) {
  if (__atomic_sub_fetch(&((chunk_header *)chunk)->live, count, __ATOMIC_ACQ_REL) != 0) {
    return;
  }
  funnel_arena_unreserve(CHUNK_SIZE);
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

void *funnel_arena_alloc(size_t bytes) {
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
  void *block = current_chunk + current_used;
  current_used += bytes;
  current_allocated++;
  return block;
}

void funnel_arena_free(void *block) {
  chunk_release((char *)((uintptr_t)block & ~(uintptr_t)(CHUNK_SIZE - 1)), 1);
}
