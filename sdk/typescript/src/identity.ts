import type { IdentityStorage } from './types';

/** Storage key of the anonymous id (a UUID), shared by every client of the origin. */
export const ANONYMOUS_ID_KEY = 'tracetics_anonymous_id';
/** Storage key of the user id given to the last `identify()`, until `reset()`. */
export const USER_ID_KEY = 'tracetics_user_id';

/**
 * Who this device's events belong to: an anonymous id (generated once) and, after `identify()`,
 * the user id. Both live in a storage (by default `localStorage`) so that other clients and later
 * page loads of the same origin see them, and in memory when there is no usable storage.
 *
 * Every read goes to the storage, so a login or logout in another tab is seen by the next event.
 * A storage that throws (Safari private mode, a sandboxed iframe, a full quota) is treated as
 * absent from then on: the ids stay in memory for this client.
 */
export class Identity {
  private storage: IdentityStorage | undefined;
  private anonymousIdInMemory: string | undefined;
  private userIdInMemory: string | undefined;

  constructor(
    storage: IdentityStorage | undefined,
    private readonly newId: () => string,
  ) {
    this.storage = storage;
  }

  /** The anonymous id, generated (and stored) on first use. */
  get anonymousId(): string {
    const stored = this.read(ANONYMOUS_ID_KEY);
    // Without a storage the id in memory holds; with one, what it holds (another tab may have reset).
    let id = stored === undefined ? this.anonymousIdInMemory : stored;
    if (!id) {
      // First use, or the storage was cleared: a new anonymous id.
      id = this.newId();
      this.write(ANONYMOUS_ID_KEY, id);
    }
    this.anonymousIdInMemory = id;
    return id;
  }

  /** The identified user's id, or undefined while anonymous. */
  get userId(): string | undefined {
    const stored = this.read(USER_ID_KEY);
    if (stored !== undefined) {
      this.userIdInMemory = stored || undefined;
    }
    return this.userIdInMemory;
  }

  /** The `user_identifier` of an event that names none: the user id, else the anonymous id. */
  get current(): string {
    return this.userId ?? this.anonymousId;
  }

  setUserId(userId: string): void {
    this.userIdInMemory = userId;
    this.write(USER_ID_KEY, userId);
  }

  /** Forgets the user id and starts over with a new anonymous id. */
  reset(): void {
    this.userIdInMemory = undefined;
    this.remove(USER_ID_KEY);
    this.anonymousIdInMemory = this.newId();
    this.write(ANONYMOUS_ID_KEY, this.anonymousIdInMemory);
  }

  /** The stored value (null: none stored), or undefined when there is no usable storage. */
  private read(key: string): string | null | undefined {
    if (!this.storage) return undefined;
    try {
      return this.storage.getItem(key);
    } catch {
      this.storage = undefined;
      return undefined;
    }
  }

  private write(key: string, value: string): void {
    if (!this.storage) return;
    try {
      this.storage.setItem(key, value);
    } catch {
      this.storage = undefined;
    }
  }

  private remove(key: string): void {
    if (!this.storage) return;
    try {
      this.storage.removeItem(key);
    } catch {
      this.storage = undefined;
    }
  }
}

/**
 * The global `localStorage` when it works, else undefined (Node, workers, a browser that blocks
 * it; Node 25 defines an object without methods unless started with `--localstorage-file`).
 */
export function defaultStorage(): IdentityStorage | undefined {
  try {
    const s = (globalThis as { localStorage?: IdentityStorage }).localStorage;
    if (!s || typeof s.getItem !== 'function' || typeof s.setItem !== 'function' || typeof s.removeItem !== 'function') {
      return undefined;
    }
    s.getItem(ANONYMOUS_ID_KEY); // throws where storage is blocked
    return s;
  } catch {
    return undefined;
  }
}
