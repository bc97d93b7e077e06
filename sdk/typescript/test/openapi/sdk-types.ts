// The SDK's wire types (src/types.ts) against the types openapi-typescript writes from the
// service's OpenAPI document (generated.d.ts, `npm run types:openapi`), for what the SDK sends and
// reads: events, batches (events and identifies) and their answers. Checked by tsc only
// (`npm run typecheck:openapi`); a failing line names the endpoint whose types drifted.
import type { paths } from './generated';
import type {
  ApiError,
  BatchAccepted,
  BatchItem,
  BatchRequest,
  Event,
  EventAccepted,
  IdentifyItem,
} from '../../src/types';

type Assert<T extends true> = T;
/** A is assignable to B. */
type Extends<A, B> = [A] extends [B] ? true : false;
/** Keys that are not optional. */
type RequiredKeys<T> = { [K in keyof T]-?: object extends Pick<T, K> ? never : K }[keyof T];
type SameKeys<A, B> = Extends<A, B> extends true ? Extends<B, A> : false;

type Json<T> = T extends { content: { 'application/json': infer B } } ? B : never;
type RequestBody<P extends keyof paths> = paths[P] extends { post: { requestBody?: infer R } }
  ? Json<R>
  : never;
type Answer<P extends keyof paths, S extends number> = paths[P] extends {
  post: { responses: infer R };
}
  ? S extends keyof R
    ? Json<R[S]>
    : never
  : never;

type DocEvent = RequestBody<'/api/v1/events'>;
type DocBatch = RequestBody<'/api/v1/events/batch'>;
type DocBatchItem = DocBatch['events'][number];
type DocIdentify = RequestBody<'/api/v1/identify'>;

// Requests: whatever the SDK's types allow, the document accepts; they require what it requires
// and name no field it does not know.
export type EventRequest = [
  Assert<Extends<Event, DocEvent>>,
  Assert<SameKeys<RequiredKeys<Event>, RequiredKeys<DocEvent>>>,
  Assert<Extends<keyof Event, keyof DocEvent>>,
];
export type IdentifyRequest = [
  Assert<Extends<IdentifyItem, DocIdentify>>,
  Assert<Extends<IdentifyItem, DocBatchItem>>,
  Assert<Extends<RequiredKeys<DocIdentify>, RequiredKeys<IdentifyItem>>>,
  Assert<Extends<keyof IdentifyItem, keyof DocIdentify>>,
];
export type BatchRequestBody = [
  Assert<Extends<BatchRequest, DocBatch>>,
  Assert<Extends<BatchItem, DocBatchItem>>,
];

// Answers: whatever the document says the server answers fits the SDK's types, and back.
export type EventAnswer = [
  Assert<Extends<Answer<'/api/v1/events', 200>, EventAccepted>>,
  Assert<Extends<EventAccepted, Answer<'/api/v1/events', 200>>>,
];
export type BatchAnswer = [
  Assert<Extends<Answer<'/api/v1/events/batch', 200>, BatchAccepted>>,
  Assert<Extends<BatchAccepted, Answer<'/api/v1/events/batch', 200>>>,
];
export type ErrorAnswers = [
  Assert<Extends<Answer<'/api/v1/events/batch', 400>, ApiError>>,
  Assert<Extends<Answer<'/api/v1/events/batch', 429>, ApiError>>,
  Assert<Extends<Answer<'/api/v1/events', 401>, ApiError>>,
  Assert<Extends<Answer<'/api/v1/identify', 409>, ApiError>>,
  Assert<Extends<ApiError, Answer<'/api/v1/events/batch', 503>>>,
];
