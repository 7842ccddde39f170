import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { sql, type SQL } from 'drizzle-orm';
import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import { drizzle as drizzlePostgres } from 'drizzle-orm/postgres-js';
import postgres from 'postgres';
import * as schema from './schema';

/** The one database type services take, whichever driver sits underneath. */
export type Database = PgDatabase<PgQueryResultHKT, typeof schema>;
export type DatabaseKind = 'pglite' | 'postgres';

export interface OpenedDatabase {
  db: Database;
  kind: DatabaseKind;
  /** Run raw SQL and get rows back the same way on both drivers. */
  query<Row extends Record<string, unknown>>(query: SQL): Promise<Row[]>;
  ping(): Promise<boolean>;
  /**
   * Runs `task` while holding a database-wide lock, so that several servers starting at once
   * against one PostgreSQL do not run the same migration together. PGlite has one process only.
   */
  exclusive<T>(lockKey: number, task: () => Promise<T>): Promise<T>;
  /**
   * LISTENs to `channel` and says when notifications may have been missed: `onConnected(false)`
   * as soon as the listening connection is gone (PostgreSQL restarted, network cut), `true` once
   * it listens again. For whoever keeps answers in memory that a notification takes back.
   * Resolves, once listening, to a function that stops.
   */
  watch(channel: string, onPayload: (payload: string) => void, onConnected: (connected: boolean) => void): Promise<() => Promise<void>>;
  close(): Promise<void>;
}

export interface OpenDatabaseOptions {
  /** A postgres:// URL. When absent, an embedded PGlite database is used. */
  url?: string;
  /** PGlite's data folder; `memory://` keeps it in memory (tests). */
  dataDir?: string;
}

export const DEFAULT_DATA_DIR = './data/pglite';

/**
 * Explicit options win; with none, DATABASE_URL and LAYERBOOK_DATA_DIR decide, so scripts
 * and the server open the same database the same way.
 */
export function openDatabase(options: OpenDatabaseOptions = {}): OpenedDatabase {
  const url = options.url ?? (options.dataDir === undefined ? process.env.DATABASE_URL?.trim() || undefined : undefined);
  if (url) return openPostgres(url);
  return openPglite(options.dataDir ?? (process.env.LAYERBOOK_DATA_DIR?.trim() || DEFAULT_DATA_DIR));
}

function openPglite(dataDir: string): OpenedDatabase {
  if (!dataDir.startsWith('memory://')) {
    // PGlite fails with an unhelpful ENOENT when the parent folder is missing.
    mkdirSync(path.dirname(path.resolve(dataDir)), { recursive: true });
  }
  const client = new PGlite(dataDir);
  const db = drizzlePglite(client, { schema }) as unknown as Database;
  return withHelpers(db, 'pglite', {
    rows: async (q) => ((await db.execute(q)) as unknown as { rows: never[] }).rows,
    exclusive: (_key, task) => task(),
    // In this process: the LISTEN lasts as long as the database is open.
    async watch(channel, onPayload, onConnected) {
      const stop = await client.listen(channel, onPayload);
      onConnected(true);
      return async () => {
        onConnected(false);
        await stop();
      };
    },
    close: () => client.close(),
  });
}

function openPostgres(url: string): OpenedDatabase {
  // Migrations print NOTICEs ("schema already exists, skipping") that are noise in a server log.
  const client = postgres(url, { max: 10, onnotice: () => {} });
  const db = drizzlePostgres(client, { schema }) as unknown as Database;
  return withHelpers(db, 'postgres', {
    rows: async (q) => (await db.execute(q)) as unknown as never[],
    async exclusive(key, task) {
      // A session-level advisory lock belongs to one connection, so hold one aside for it.
      const connection = await client.reserve();
      try {
        await connection`select pg_advisory_lock(${key})`;
        return await task();
      } finally {
        await connection`select pg_advisory_unlock(${key})`.catch(() => {});
        connection.release();
      }
    },
    watch: (channel, onPayload, onConnected) => watchPostgres(url, channel, onPayload, onConnected),
    close: () => client.end({ timeout: 5 }),
  });
}

/**
 * A connection of its own, because postgres.js's `listen` re-listens after a drop without
 * saying that it dropped, and notifications sent in between are lost without a trace.
 */
async function watchPostgres(
  url: string,
  channel: string,
  onPayload: (payload: string) => void,
  onConnected: (connected: boolean) => void,
): Promise<() => Promise<void>> {
  let stopped = false;
  const listener = postgres(url, {
    max: 1,
    idle_timeout: 0,
    max_lifetime: null,
    onnotice: () => {},
    onnotify: (name: string, payload: string) => {
      if (name === channel) onPayload(payload);
    },
    onclose: () => {
      onConnected(false);
      if (!stopped && !reconnecting) void listenAgain();
    },
  } as postgres.Options<Record<string, never>>);
  let reconnecting = false;
  const listen = async () => {
    await listener`listen ${listener(channel)}`;
    if (!stopped) onConnected(true);
  };
  const listenAgain = async () => {
    reconnecting = true;
    for (let attempt = 1; !stopped; attempt++) {
      await new Promise((resolve) => setTimeout(resolve, Math.min(30_000, 100 * 2 ** attempt)).unref());
      if (stopped) break;
      try {
        await listen();
        break;
      } catch {
        // PostgreSQL is still away: try again a little later.
      }
    }
    reconnecting = false;
  };
  try {
    await listen();
  } catch (error) {
    // The caller goes on without watching; no connection may be left retrying behind its back.
    stopped = true;
    await listener.end({ timeout: 0 }).catch(() => {});
    throw error;
  }
  return async () => {
    stopped = true;
    onConnected(false);
    await listener.end({ timeout: 5 });
  };
}

interface DriverHelpers {
  rows(query: SQL): Promise<never[]>;
  exclusive<T>(lockKey: number, task: () => Promise<T>): Promise<T>;
  watch: OpenedDatabase['watch'];
  close(): Promise<void>;
}

function withHelpers(db: Database, kind: DatabaseKind, driver: DriverHelpers): OpenedDatabase {
  let closed = false;
  const watching = new Set<() => Promise<void>>();
  return {
    db,
    kind,
    query: (query) => driver.rows(query),
    exclusive: (key, task) => driver.exclusive(key, task),
    async watch(channel, onPayload, onConnected) {
      const stopWatching = await driver.watch(channel, onPayload, onConnected);
      const stop = async () => {
        if (!watching.delete(stop)) return;
        await stopWatching();
      };
      watching.add(stop);
      return stop;
    },
    async ping() {
      try {
        const [row] = await driver.rows(sql`select 1 as ok`);
        return Number((row as { ok: unknown } | undefined)?.ok) === 1;
      } catch {
        return false;
      }
    },
    async close() {
      if (closed) return;
      closed = true;
      // A watcher's own connection would keep the database busy (and a test's DROP DATABASE waiting).
      await Promise.all([...watching].map((stop) => stop()));
      await driver.close();
    },
  };
}
