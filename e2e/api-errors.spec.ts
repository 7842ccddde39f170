import { expect, test } from '@playwright/test';

/** tRPC's GET form: the input travels JSON-encoded in the query string. */
function query(procedure: string, input: unknown): string {
  return `/api/trpc/${procedure}?input=${encodeURIComponent(JSON.stringify(input))}`;
}

interface TrpcError {
  error: { message: string; data: { code: string; httpStatus: number; zodError: { fieldErrors: Record<string, string[]> } | null } };
}

test('an id that is not an id is refused with 400 and names the field', async ({ request }) => {
  const response = await request.get(query('notebook.get', { id: 'my-notebook' }));
  expect(response.status()).toBe(400);
  const body = (await response.json()) as TrpcError;
  expect(body.error.data.code).toBe('BAD_REQUEST');
  expect(body.error.message).toMatch(/^Invalid input\. id: /);
  expect(Object.keys(body.error.data.zodError?.fieldErrors ?? {})).toEqual(['id']);
});

test('a save with a wrong field type is refused with 400 and names the field', async ({ request }) => {
  const created = await request.post('/api/trpc/notebook.create', { data: {} });
  expect(created.ok()).toBe(true);
  const { id } = ((await created.json()) as { result: { data: { id: string } } }).result.data;

  const response = await request.post('/api/trpc/notebook.save', { data: { id, version: 1, title: 42, cells: [] } });
  expect(response.status()).toBe(400);
  const body = (await response.json()) as TrpcError;
  expect(body.error.message).toContain('title:');
  expect(body.error.data.zodError?.fieldErrors).toHaveProperty('title');
});

test("another user's notebook cannot be read: it looks like it does not exist", async ({ request, playwright, baseURL }) => {
  const created = await request.post('/api/trpc/notebook.create', { data: { title: 'Private diary' } });
  const { id } = ((await created.json()) as { result: { data: { id: string } } }).result.data;
  expect((await request.get(query('notebook.get', { id }))).status()).toBe(200);

  // A second request context has its own cookies: a different anonymous user.
  const stranger = await playwright.request.newContext({ baseURL });
  try {
    const response = await stranger.get(query('notebook.get', { id }));
    expect(response.status()).toBe(404);
    expect(await response.text()).not.toContain('Private diary');
  } finally {
    await stranger.dispose();
  }
});

test('/api/health reports the database, the training queue and the training backend', async ({ request }) => {
  const response = await request.get('/api/health');
  expect(response.status()).toBe(200);
  expect(response.headers()['content-type']).toContain('application/json');
  const health = (await response.json()) as {
    ok: boolean;
    database: { kind: string; ok: boolean };
    queue: { workers: number; busy: number; queued: number };
    training: { backend: string | null };
  };
  expect(health.ok).toBe(true);
  expect(health.database).toEqual({ kind: 'pglite', ok: true });
  expect(health.queue).toEqual({ workers: expect.any(Number), busy: expect.any(Number), queued: expect.any(Number) });
  expect(health.training).toHaveProperty('backend');
});
