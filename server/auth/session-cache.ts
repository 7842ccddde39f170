/**
 * Who an anonymous browser's cookie belongs to, kept in memory so that most requests (a
 * notebook save, say) run no session query. Exact, not merely fresh: the database announces
 * every change that could alter an answer (migration 0012: a trigger on `sessions` for updates
 * and deletes, on `users` for a changed role, username or display name and for deletes), so a
 * revoked session stops working here as soon as the notification arrives, whichever process or
 * tool revoked it. Answers are kept only while that announcement channel is connected: when it
 * drops, everything is forgotten and each request looks its session up again until it is back.
 *
 * Accounts' sessions (better-auth) are not kept: better-auth verifies the signed cookie and
 * reads its session in one call, and caching after it would mean verifying its signature
 * ourselves.
 */
import type { Database, OpenedDatabase } from '../../db/client';
import { findLiveSession, hashSessionToken, isWellFormedSessionToken, type SessionUser } from '../services/sessions';

export const SESSION_CHANGES_CHANNEL = 'layerbook_session_changes';

export interface SessionCacheOptions {
  /** Oldest answers are dropped beyond this many. */
  maxEntries?: number;
  /** A backstop: an answer is looked up again after this long even though nothing was announced. */
  maxAgeMs?: number;
}

interface Entry {
  user: SessionUser;
  expiresAt: number;
  cachedAt: number;
}

export class SessionCache {
  private readonly entries = new Map<string, Entry>();
  private readonly maxEntries: number;
  private readonly maxAgeMs: number;
  private connected = false;
  /** Bumped by every announcement and every connection change: a lookup that overlapped one is not kept, as it may predate it. */
  private epoch = 0;
  private readonly payloadWaiters = new Map<string, Array<() => void>>();
  private connectionWaiters: Array<(connected: boolean) => void> = [];

  constructor(options: SessionCacheOptions = {}) {
    this.maxEntries = options.maxEntries ?? 10_000;
    this.maxAgeMs = options.maxAgeMs ?? 60_000;
  }

  /** Starts listening for changes; answers are kept from when it resolves. Resolves to a function that stops. */
  watch(database: OpenedDatabase): Promise<() => Promise<void>> {
    return database.watch(SESSION_CHANGES_CHANNEL, (payload) => this.heard(payload), (connected) => this.connectionChanged(connected));
  }

  /** The user of an anonymous session token, or null when it is unknown or expired (as `findSessionUser`). */
  async findUser(db: Database, token: string): Promise<SessionUser | null> {
    if (!isWellFormedSessionToken(token)) return null;
    const tokenHash = hashSessionToken(token);
    const now = Date.now();
    const kept = this.entries.get(tokenHash);
    if (kept) {
      if (this.connected && kept.expiresAt > now && now - kept.cachedAt < this.maxAgeMs) return kept.user;
      this.entries.delete(tokenHash);
    }
    const epoch = this.epoch;
    const found = await findLiveSession(db, tokenHash, new Date(now));
    if (found && this.connected && this.epoch === epoch) {
      this.entries.set(tokenHash, { user: found.user, expiresAt: found.expiresAt.getTime(), cachedAt: now });
      if (this.entries.size > this.maxEntries) this.entries.delete(this.entries.keys().next().value!);
    }
    return found?.user ?? null;
  }

  /** Whether an answer for this token is kept (tests, to show that a request was answered from memory). */
  holds(token: string): boolean {
    return this.entries.has(hashSessionToken(token));
  }

  /** Resolves once the change of this session (by its token) has been heard. Call before making the change. */
  heardSessionChange(token: string): Promise<void> {
    return this.waitForPayload(`s:${hashSessionToken(token)}`);
  }

  /** Resolves once a change of this user has been heard. Call before making the change. */
  heardUserChange(userId: string): Promise<void> {
    return this.waitForPayload(`u:${userId}`);
  }

  /** Resolves with the channel's next state (connected or not). */
  nextConnectionChange(): Promise<boolean> {
    return new Promise((resolve) => this.connectionWaiters.push(resolve));
  }

  private waitForPayload(payload: string): Promise<void> {
    return new Promise((resolve) => {
      const waiting = this.payloadWaiters.get(payload) ?? [];
      waiting.push(resolve);
      this.payloadWaiters.set(payload, waiting);
    });
  }

  private heard(payload: string): void {
    this.epoch++;
    if (payload.startsWith('s:')) this.entries.delete(payload.slice(2));
    else if (payload.startsWith('u:')) {
      const userId = payload.slice(2);
      for (const [tokenHash, entry] of this.entries) if (entry.user.id === userId) this.entries.delete(tokenHash);
    } else this.entries.clear(); // Not a form we know: forget everything rather than guess.
    const waiting = this.payloadWaiters.get(payload);
    if (waiting) {
      this.payloadWaiters.delete(payload);
      for (const resolve of waiting) resolve();
    }
  }

  private connectionChanged(connected: boolean): void {
    this.epoch++;
    this.connected = connected;
    // While disconnected, changes go unheard; what was kept may already be wrong.
    if (!connected) this.entries.clear();
    const waiting = this.connectionWaiters;
    this.connectionWaiters = [];
    for (const resolve of waiting) resolve(connected);
  }
}
