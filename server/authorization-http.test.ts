import { readFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { datasets, runs, runWeights } from '../db/schema';
import { expectedRefusal, MATRIX, NO_SUCH_ID, ownersRun, ownersSubmission, procedureType, type Fixture, type Refusal, type World } from '../testing/authorization-matrix';
import { openTestDatabase, type TestDatabase } from '../testing/database';
import { FakeRunQueue } from '../testing/fake-run-queue';
import { CALLERS, describeChanges, enrol, makePeople, resetDatabase, savePeople, signIn, snapshotDatabase, testAuth, type CallerName, type PersonName, type SavedPeople, type School } from '../testing/school';
import { createServer } from './http';

/**
 * The authorization matrix (testing/authorization-matrix.ts) again, this time the way a
 * browser asks: over HTTP, the user read from the session cookie by the real request
 * listener, with the guards in front. Then the routes outside tRPC: model downloads, which
 * name a run, and uploads, which must store only for the cookie's owner.
 */

const STATUS: Record<Refusal, number> = { NOT_FOUND: 404, UNAUTHORIZED: 401, BAD_REQUEST: 400, FORBIDDEN: 403, CONFLICT: 409 };

type Answer = { status: number; code: string | null; message: string };

/**
 * The routes server/http.ts serves outside tRPC, by the function that recognises each path,
 * and where this file tries them. A route added there without a line here fails the first test.
 */
const ROUTES_OUTSIDE_TRPC: Record<string, string> = {
  isUploadPath: 'uploads: stored for the cookie’s owner only; a visitor is refused before the body is read',
  isRunDownloadPath: 'model downloads: the run’s owner only',
  isGradesDownloadPath: 'grades files: the class’s own teacher only (not the admin)',
  isAuthPath: 'sign-in, sign-out and sessions act on the caller’s own session; the library’s other endpoints (admin, sign-up, profile) are not served',
};

describe('routes outside tRPC', () => {
  it('are each tried here', () => {
    const source = readFileSync(new URL('./http.ts', import.meta.url), 'utf8');
    const routes = [...new Set(source.match(/\bis[A-Z]\w*Path\b/g))].sort();
    expect(routes, 'a route in server/http.ts without a line in ROUTES_OUTSIDE_TRPC (server/authorization-http.test.ts)').toEqual(Object.keys(ROUTES_OUTSIDE_TRPC).sort());
  });
});

describe.each([{ kind: 'pglite' as const }, { kind: 'postgres' as const }])('who may see what over HTTP, on $kind', ({ kind }) => {
  let database: TestDatabase;
  let server: Server;
  let base: string;
  const serverLog: string[] = [];
  let people: School['people'];
  let saved: SavedPeople;
  /** Each person's cookies after signing in on the sign-in route; the visitor sends none. */
  const cookies = { visitor: null } as Record<CallerName, string | null>;

  beforeAll(async () => {
    database = await openTestDatabase(kind);
    const auth = testAuth(database.db);
    people = await makePeople(database.db, auth);
    server = createServer({ database, runner: new FakeRunQueue(), maxParams: 5_000_000, auth, log: (message) => serverLog.push(message) });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    for (const person of Object.keys(people) as PersonName[]) cookies[person] = await signIn(base, person);
    saved = await savePeople(database);
  });
  afterAll(async () => {
    server?.closeAllConnections();
    await new Promise((resolve) => server?.close(resolve));
    await database?.destroy();
  });

  async function freshWorld(): Promise<World & { cookies: Record<CallerName, string | null> }> {
    await resetDatabase(database, saved);
    return { db: database.db, school: await enrol(database.db, people), cookies };
  }

  /** A tRPC call as the page makes it: queries and subscriptions by GET, mutations by POST with JSON. */
  async function callOverHttp(path: string, input: unknown, cookie: string | null): Promise<Answer> {
    const type = procedureType(path);
    const headers: Record<string, string> = cookie ? { cookie } : {};
    const query = `?input=${encodeURIComponent(JSON.stringify(input))}`;
    if (type === 'subscription') {
      const response = await fetch(`${base}/api/trpc/${path}${query}`, { headers: { ...headers, accept: 'text/event-stream' } });
      return firstServerSentEvent(response);
    }
    const response =
      type === 'query'
        ? await fetch(`${base}/api/trpc/${path}${query}`, { headers })
        : await fetch(`${base}/api/trpc/${path}`, { method: 'POST', headers: { ...headers, 'content-type': 'application/json' }, body: JSON.stringify(input) });
    const body = (await response.json()) as { error?: { message: string; data: { code: string } } };
    return { status: response.status, code: body.error?.data.code ?? null, message: body.error?.message ?? '' };
  }

  /** A subscription answers 200 and says in its first event whether it may stream. */
  async function firstServerSentEvent(response: Response): Promise<Answer> {
    const reader = response.body!.pipeThrough(new TextDecoderStream()).getReader();
    let text = '';
    try {
      for (;;) {
        const events = text.split(/\n{2,}/).slice(0, -1).map((e) => e.trim());
        const error = events.find((e) => e.startsWith('event: serialized-error'));
        if (error) {
          const data = JSON.parse(error.split('\n').find((l) => l.startsWith('data: '))!.slice(6)) as { message: string; data: { code: string; httpStatus: number } };
          return { status: data.data.httpStatus, code: data.data.code, message: data.message };
        }
        // Past tRPC's own "connected" event, a plain data event is the run's first news.
        if (events.some((e) => /^(id: .*\n)?data: /.test(e))) return { status: 200, code: null, message: '' };
        const { value, done } = await reader.read();
        if (done) throw new Error(`the event stream ended without an event: ${text}`);
        text += value;
      }
    } finally {
      await reader.cancel();
    }
  }

  for (const row of MATRIX) {
    it(`${row.procedure} on ${row.about}, by cookie: only ${row.allowed.length ? row.allowed.join(', ') : 'nobody'}`, async () => {
      const failures: string[] = [];
      for (const caller of CALLERS) {
        const world = await freshWorld();
        const fixture = await row.make(world);
        const before = await snapshotDatabase(database);
        const answer = await callOverHttp(row.procedure, row.input(fixture, world, caller), world.cookies[caller]);
        const changed = describeChanges(before, await snapshotDatabase(database));
        if (row.allowed.includes(caller)) {
          if (answer.status !== 200) failures.push(`${caller} was refused (${answer.status} ${answer.code}: ${answer.message})`);
        } else {
          const expected = expectedRefusal(row, caller);
          if (answer.status !== STATUS[expected] || answer.code !== expected) failures.push(`${caller} got ${answer.status} ${answer.code}; expected ${STATUS[expected]} ${expected}`);
          if (changed) failures.push(`${caller}'s refused call changed the database: ${changed}`);
        }
      }
      expect(failures).toEqual([]);
      expect(serverLog).toEqual([]);
    });
  }

  /** A run that finished with a model to download (the weights need not be a real network for access checks). */
  async function trainedRun(world: World): Promise<Fixture> {
    const fixture = await ownersRun(world);
    await world.db.update(runs).set({ status: 'succeeded', finishedAt: new Date() }).where(eq(runs.id, fixture.runId!));
    await world.db.insert(runWeights).values({ runId: fixture.runId!, modelTopology: { class_name: 'Sequential' }, weightSpecs: [], weightData: new Uint8Array([1, 2, 3, 4]) });
    return fixture;
  }

  for (const file of ['model.json', 'weights.bin']) {
    it(`GET /api/runs/<id>/${file} gives a student's trained model to that student only`, async () => {
      const failures: string[] = [];
      for (const caller of CALLERS) {
        const world = await freshWorld();
        const { runId } = await trainedRun(world);
        const before = await snapshotDatabase(database);
        const cookie = world.cookies[caller];
        const headers: Record<string, string> = cookie ? { cookie } : {};
        const response = await fetch(`${base}/api/runs/${runId}/${file}`, { headers });
        const body = await response.text();
        if (caller === 'owner') {
          if (response.status !== 200) failures.push(`owner got ${response.status}`);
        } else {
          // The same answer as for a run that does not exist: nothing of the model, not even that it is there.
          const unknown = await fetch(`${base}/api/runs/${NO_SUCH_ID}/${file}`, { headers });
          if (response.status !== 404 || body !== (await unknown.text())) failures.push(`${caller} got ${response.status} ${body}; expected the 404 of an unknown run`);
        }
        const changed = describeChanges(before, await snapshotDatabase(database));
        if (changed) failures.push(`${caller}'s download changed the database: ${changed}`);
      }
      expect(failures).toEqual([]);
    });
  }

  it('GET /api/assignments/<id>/grades.csv gives the grades to the class’s own teacher only, not even to the admin', async () => {
    const failures: string[] = [];
    for (const caller of CALLERS) {
      const world = await freshWorld();
      const { assignmentId } = await ownersSubmission(world);
      const before = await snapshotDatabase(database);
      const cookie = world.cookies[caller];
      const headers: Record<string, string> = cookie ? { cookie } : {};
      const response = await fetch(`${base}/api/assignments/${assignmentId}/grades.csv`, { headers });
      const body = await response.text();
      if (caller === 'teacher') {
        if (response.status !== 200 || !body.includes('owner')) failures.push(`${caller} got ${response.status} ${body.slice(0, 80)}`);
      } else {
        const unknown = await fetch(`${base}/api/assignments/${NO_SUCH_ID}/grades.csv`, { headers });
        if (response.status !== 404 || body !== (await unknown.text())) failures.push(`${caller} got ${response.status} ${body.slice(0, 80)}; expected the 404 of an unknown assignment`);
      }
      const changed = describeChanges(before, await snapshotDatabase(database));
      if (changed) failures.push(`${caller}'s download changed the database: ${changed}`);
    }
    expect(failures).toEqual([]);
  });

  it('serves none of the account library’s other endpoints: nobody, not even the admin, changes roles or becomes someone else there', async () => {
    const world = await freshWorld();
    const before = await snapshotDatabase(database);
    const failures: string[] = [];
    for (const caller of CALLERS) {
      const cookie = world.cookies[caller];
      const self = caller === 'visitor' ? NO_SUCH_ID : world.school.people[caller].id;
      for (const [path, body] of [
        ['/api/auth/admin/set-role', { userId: self, role: 'admin' }],
        ['/api/auth/admin/impersonate-user', { userId: world.school.people.owner.id }],
        ['/api/auth/admin/list-users', {}],
        ['/api/auth/admin/remove-user', { userId: world.school.people.owner.id }],
        ['/api/auth/update-user', { name: 'Renamed', role: 'admin' }],
        ['/api/auth/sign-up/email', { email: 'x@example.com', password: 'long enough password', name: 'X', role: 'admin' }],
        ['/api/auth/change-email', { newEmail: 'y@example.com' }],
      ] as const) {
        const response = await fetch(`${base}${path}`, { method: 'POST', headers: { 'content-type': 'application/json', origin: base, ...(cookie ? { cookie } : {}) }, body: JSON.stringify(body) });
        if (response.status !== 404) failures.push(`${caller} ${path}: ${response.status}`);
      }
    }
    expect(failures).toEqual([]);
    expect(describeChanges(before, await snapshotDatabase(database))).toBe('');
  });

  const CSV_BODY = 'a,b,k\n' + Array.from({ length: 12 }, (_, i) => `${i},${i * 3},${i % 3 ? 'x' : 'y'}`).join('\n');
  const CSV_OPTIONS = { name: 'Uploaded', label: 'k', features: [{ column: 'a', as: 'number' }], normalization: 'none', split: { train: 60, validation: 20, test: 20 }, seed: 3 };

  it('stores an upload for the cookie’s owner only, whatever the request claims, and refuses a visitor before reading it', async () => {
    const failures: string[] = [];
    for (const caller of CALLERS) {
      const world = await freshWorld();
      const cookie = world.cookies[caller];
      const before = await snapshotDatabase(database);
      // The options name another owner: an upload never takes its owner from the request.
      const options = encodeURIComponent(JSON.stringify({ ...CSV_OPTIONS, ownerId: world.school.people.owner.id }));
      const response = await fetch(`${base}/api/datasets/csv?options=${options}`, {
        method: 'POST',
        headers: { 'content-type': 'text/csv', ...(cookie ? { cookie } : {}) },
        body: CSV_BODY,
      });
      const stored = await world.db.select({ ownerId: datasets.ownerId }).from(datasets);
      if (caller === 'visitor') {
        if (response.status !== 401) failures.push(`visitor got ${response.status}; expected 401`);
        const changed = describeChanges(before, await snapshotDatabase(database));
        if (changed) failures.push(`the visitor's upload changed the database: ${changed}`);
      } else {
        if (response.status !== 201) failures.push(`${caller} got ${response.status}: ${await response.text()}`);
        const expected = [{ ownerId: world.school.people[caller].id }];
        if (JSON.stringify(stored) !== JSON.stringify(expected)) failures.push(`${caller}'s upload was stored as ${JSON.stringify(stored)}`);
      }
    }
    expect(failures).toEqual([]);
  });

  it('refuses every upload route to a visitor with 401, storing nothing', async () => {
    await freshWorld();
    const before = await snapshotDatabase(database);
    for (const path of ['/api/datasets/csv/preview', '/api/datasets/csv', '/api/datasets/images', '/api/datasets/idx']) {
      const response = await fetch(`${base}${path}?options=${encodeURIComponent(JSON.stringify(CSV_OPTIONS))}`, { method: 'POST', headers: { 'content-type': 'text/csv' }, body: CSV_BODY });
      expect(response.status, path).toBe(401);
    }
    expect(await snapshotDatabase(database)).toEqual(before);
  });
});
