import { describe, expect, it } from 'vitest';
import { describeDue, dueIn } from './due-date';

describe('due-date words', () => {
  const now = new Date('2026-12-02T12:00:00Z');

  it('says how far away a due date is, either way', () => {
    expect(dueIn('2026-12-02T12:10:00Z', now)).toBe('in 10 minutes');
    expect(dueIn('2026-12-02T17:00:00Z', now)).toBe('in 5 hours');
    expect(dueIn('2026-12-09T12:00:00Z', now)).toBe('in 7 days');
    expect(dueIn('2026-12-02T10:00:00Z', now)).toBe('2 hours ago');
    expect(dueIn('2026-12-02T12:00:20Z', now)).toBe('in less than a minute');
  });

  it('says plainly when the due date has passed, by the same rule that marks a hand-in late', () => {
    expect(describeDue('2026-12-02T10:00:00Z', now)).toEqual({ past: true, words: 'the due date passed 2 hours ago' });
    expect(describeDue('2026-12-02T11:59:50Z', now)).toEqual({ past: true, words: 'the due date passed just now' });
    // At the due second itself a hand-in is still on time, so the due date has not passed.
    expect(describeDue('2026-12-02T12:00:00Z', now)).toEqual({ past: false, words: 'in less than a minute' });
    expect(describeDue('2026-12-05T12:00:00Z', now)).toEqual({ past: false, words: 'in 3 days' });
  });
});
