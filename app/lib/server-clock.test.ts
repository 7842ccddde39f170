import { afterEach, describe, expect, it, vi } from 'vitest';
import { noteServerDate, serverNow } from './server-clock';

describe('the server clock', () => {
  afterEach(() => vi.useRealTimers());

  it("follows the server's Date header, not the browser's clock", () => {
    vi.useFakeTimers();
    vi.setSystemTime(new Date('2026-12-02T12:00:00.000Z'));
    // The server is 10 minutes ahead of this laptop.
    noteServerDate('Wed, 02 Dec 2026 12:10:00 GMT');
    expect(serverNow().toISOString()).toBe('2026-12-02T12:10:00.500Z');
    vi.advanceTimersByTime(60_000);
    expect(serverNow().toISOString()).toBe('2026-12-02T12:11:00.500Z');
  });

  it('keeps what it knew when an answer has no usable Date header', () => {
    vi.useFakeTimers();
    vi.setSystemTime(new Date('2026-12-02T12:00:00.000Z'));
    noteServerDate('Wed, 02 Dec 2026 11:00:00 GMT');
    noteServerDate(null);
    noteServerDate('not a date');
    expect(serverNow().toISOString()).toBe('2026-12-02T11:00:00.500Z');
  });
});
