// Type-level check of the documented usage against the built declarations (npm run typecheck):
// imports the package by its name, so "exports" -> dist/index.d.ts is what is checked.
import { Tracetics, TraceticsError } from 'tracetics-sdk';
import type { BatchAccepted, Event, TrackResult, ApiError } from 'tracetics-sdk';

export async function documentedUsage(): Promise<TrackResult> {
  const client = new Tracetics({ tenantKey: '...', trackedAppKey: '...', endpoint: 'https://tracetics.example' });
  await client.track({ event_name: 'signup_completed', user_identifier: 'user_123' });
  const result = await client.track({
    event_name: 'checkout',
    user_identifier: 'u1',
    metadata: { plan: 'pro', amount: 49, tags: ['a'], nested: { ok: true } },
    timestamp: new Date(),
  });
  await client.track({ event_name: 'a', user_identifier: 'u', timestamp: '2026-01-05T10:00:00Z' });
  await client.track({ event_name: 'a', user_identifier: 'u', timestamp: 1767607200000 });
  await client.flush();
  await client.shutdown();
  return result;
}

export function onError(e: unknown): string | undefined {
  if (e instanceof TraceticsError) {
    const status: number = e.status;
    const retryAfter: number | undefined = e.retryAfter;
    const body: ApiError | undefined = e.body;
    const events: Event[] = e.events;
    return `${status} ${e.code} ${retryAfter} ${body?.field} ${events.length}`;
  }
  return undefined;
}

export const answer: BatchAccepted = { accepted: 1, duplicates: 0, rejected: [{ index: 1, error: { code: 400, error: 'invalid_length', message: 'm', field: 'event_name' } }] };
