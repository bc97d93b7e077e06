/*
 * The native aggregate's memory cap: a process-wide limit on the memory all running aggregates
 * hold. The aggregate allocates with malloc and counts every allocation here first; past the cap
 * the count is refused, the group gives up (tracetics_funnel.c), and the engine runs that funnel on
 * its SQL plan instead.
 */
#ifndef TRACETICS_FUNNEL_MEMORY_H
#define TRACETICS_FUNNEL_MEMORY_H

#include <stddef.h>

/* Sets the cap for the whole process (initially SIZE_MAX). */
void funnel_memory_set_cap(size_t bytes);

/* The memory counted now. */
size_t funnel_memory_used(void);

/* Counts bytes the caller allocates against the cap; returns 0 (and counts nothing) when they
   would pass it. funnel_memory_unreserve gives them back. */
int funnel_memory_reserve(size_t bytes);
void funnel_memory_unreserve(size_t bytes);

#endif
