import { describe, expect, it } from 'vitest';
import { describeApiError, retryAfterMs } from './errors';

const trpcError = (code: string, message: string) => Object.assign(new Error(message), { data: { code } });

describe('describeApiError', () => {
  it('keeps a message the server wrote for people', () => {
    const msg = 'This model has 12,000,000 parameters; the limit is 5,000,000. Use fewer or smaller Dense layers.';
    expect(describeApiError(trpcError('BAD_REQUEST', msg))).toEqual({ code: 'BAD_REQUEST', message: msg });
    expect(describeApiError(trpcError('CONFLICT', 'Saved elsewhere: reload.')).message).toBe('Saved elsewhere: reload.');
  });

  it('hides internal errors and raw validation dumps behind a plain sentence', () => {
    expect(describeApiError(trpcError('INTERNAL_SERVER_ERROR', 'TypeError: x is undefined')).message)
      .toBe('Something went wrong on the server. Try again in a moment.');
    const dump = '[{"code":"too_small","minimum":1,"path":["epochs"],"message":"Too small"}]';
    expect(describeApiError(trpcError('BAD_REQUEST', dump)).message).toMatch(/did not accept these values/);
  });

  it("shows a rate limit's own sentence, with how long to wait, and a plain one when a proxy sent none", () => {
    const msg = 'Too many tries to join a class. Wait 40 seconds and try again.';
    expect(describeApiError(trpcError('TOO_MANY_REQUESTS', msg))).toEqual({ code: 'TOO_MANY_REQUESTS', message: msg });
    expect(describeApiError(trpcError('TOO_MANY_REQUESTS', '')).message).toBe('Too many tries in a short time. Wait a minute and try again.');
  });

  it('explains network failures', () => {
    expect(describeApiError(new TypeError('Failed to fetch'))).toEqual({
      code: null,
      message: 'Could not reach the server. Check your connection; we will keep trying.',
    });
  });
});

describe('retryAfterMs', () => {
  const refused = (headers: Record<string, string>) => Object.assign(new Error('Too many'), { data: { code: 'TOO_MANY_REQUESTS' }, meta: { response: new Response(null, { status: 429, headers }) } });

  it('reads the wait the server sent with a 429, in seconds or as a date', () => {
    expect(retryAfterMs(refused({ 'Retry-After': '42' }))).toBe(42_000);
    const now = Date.parse('2026-03-02T10:00:00Z');
    expect(retryAfterMs(refused({ 'Retry-After': 'Mon, 02 Mar 2026 10:01:30 GMT' }), now)).toBe(90_000);
  });

  it('is null when the server said nothing usable, or the request never got an answer', () => {
    expect(retryAfterMs(refused({}))).toBeNull();
    expect(retryAfterMs(refused({ 'Retry-After': 'soon' }))).toBeNull();
    expect(retryAfterMs(new TypeError('Failed to fetch'))).toBeNull();
    expect(retryAfterMs(null)).toBeNull();
  });
});
