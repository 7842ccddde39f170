import { describe, expect, it } from 'vitest';
import { describeApiError } from './errors';

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

  it('explains network failures', () => {
    expect(describeApiError(new TypeError('Failed to fetch'))).toEqual({
      code: null,
      message: 'Could not reach the server. Check your connection; we will keep trying.',
    });
  });
});
