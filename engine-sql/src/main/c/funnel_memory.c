/* The native aggregate's memory cap: see funnel_memory.h. */
#include "funnel_memory.h"

#include <stdint.h>

static size_t memory_cap = SIZE_MAX;
static size_t memory_used;

void funnel_memory_set_cap(size_t bytes) { __atomic_store_n(&memory_cap, bytes, __ATOMIC_RELAXED); }

size_t funnel_memory_used(void) { return __atomic_load_n(&memory_used, __ATOMIC_RELAXED); }

int funnel_memory_reserve(size_t bytes) {
  size_t cap = __atomic_load_n(&memory_cap, __ATOMIC_RELAXED);
  if (__atomic_add_fetch(&memory_used, bytes, __ATOMIC_RELAXED) > cap) {
    __atomic_sub_fetch(&memory_used, bytes, __ATOMIC_RELAXED);
    return 0;
  }
  return 1;
}

void funnel_memory_unreserve(size_t bytes) {
  __atomic_sub_fetch(&memory_used, bytes, __ATOMIC_RELAXED);
}
