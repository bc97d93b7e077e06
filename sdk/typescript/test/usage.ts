// Type-level check of the documented usage against the built declarations (npm run typecheck):
// imports the package by its name, so "exports" -> dist/index.d.ts is what is checked.
import { Tracetics, TraceticsError } from 'tracetics-sdk';
import { ANONYMOUS_ID_KEY, USER_ID_KEY } from 'tracetics-sdk';
import type { BatchAccepted, BatchRequest, Event, IdentifyItem, IdentifyResult, IdentityStorage, TrackResult, ApiError, Traits } from 'tracetics-sdk';

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

export async function identity(storage: IdentityStorage): Promise<IdentifyResult> {
  const client = new Tracetics({ tenantKey: '...', trackedAppKey: '...', endpoint: 'https://tracetics.example', storage });
  await client.track({ event_name: 'visited_pricing' }); // as the anonymous id
  const traits: Traits = { plan: 'pro', seats: 3, company: { name: 'Acme' }, old: null };
  const result = await client.identify('user_123', traits);
  await client.track({ event_name: 'signed_up' }); // as user_123
  const anonymousId: string = client.anonymousId;
  const userId: string | undefined = client.userId;
  client.reset();
  new Tracetics({ tenantKey: '...', trackedAppKey: '...', endpoint: 'https://tracetics.example', storage: null });
  return { event_id: `${result.event_id} ${anonymousId} ${userId} ${ANONYMOUS_ID_KEY} ${USER_ID_KEY}` };
}

export const identifyItem: IdentifyItem = { type: 'identify', user_identifier: 'u_42', anonymous_id: 'anon-9', traits: { plan: 'pro' } };
export const mixedBatch: BatchRequest = { events: [{ event_name: 'a', user_identifier: 'anon-9' }, identifyItem] };

export function onError(e: unknown): string | undefined {
  if (e instanceof TraceticsError) {
    const status: number = e.status;
    const retryAfter: number | undefined = e.retryAfter;
    const body: ApiError | undefined = e.body;
    const events: Event[] = e.events;
    const identifies: IdentifyItem[] = e.identifies;
    return `${status} ${e.code} ${retryAfter} ${body?.field} ${events.length} ${identifies.length}`;
  }
  return undefined;
}

export const answer: BatchAccepted = { accepted: 1, duplicates: 0, rejected: [{ index: 1, error: { code: 400, error: 'invalid_length', message: 'm', field: 'event_name' } }] };
