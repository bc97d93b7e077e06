/*
 * The native aggregate's memory: a process-wide cap on what it holds, and a bump allocator of
 * small blocks from per-thread 2 MB chunks advised as transparent huge pages.
 *
 * A chunk is freed when its last block is, up to FUNNEL_ARENA_POOL_MAX idle chunks are kept for the
 * next query, and a thread's current chunk is let go when the thread ends. An allocation costs no
 * atomic operation: while a chunk is a thread's current one its count of live blocks carries a
 * bias, so frees from any thread never take it to zero, and the owner settles its own count when
 * it moves on. (malloc'd arrays that doubled made every other run of the 50M-event benchmark fault
 * 60 thousand more pages in and take 1.6x as long: engine-sql/README.md, "The native aggregate".)
 *
 * Every chunk and every funnel_arena_reserve counts against the cap: past it an allocation fails.
 */
#ifndef TRACETICS_FUNNEL_ARENA_H
#define TRACETICS_FUNNEL_ARENA_H

#include <stddef.h>

#define FUNNEL_ARENA_CHUNK_SIZE ((size_t)1 << 21)
#define FUNNEL_ARENA_POOL_MAX 16

/* Sets the cap for the whole process (initially SIZE_MAX). */
void funnel_arena_set_cap(size_t bytes);

/* The memory held now: chunks in use and reservations. */
size_t funnel_arena_used(void);

/* Counts bytes the caller allocates itself against the cap; returns 0 (and counts nothing) when
   they would pass it. funnel_arena_unreserve gives them back. */
int funnel_arena_reserve(size_t bytes);
void funnel_arena_unreserve(size_t bytes);

/* Bump-allocates bytes (a multiple of 8, far below the chunk size) from the calling thread's
   chunk, 8-byte aligned; NULL when the cap or the system refuses a new chunk. */
void *funnel_arena_alloc(size_t bytes);

/* Frees a block of funnel_arena_alloc, from any thread. */
void funnel_arena_free(void *block);

#endif
