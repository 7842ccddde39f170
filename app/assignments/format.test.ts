import { describe, expect, it } from 'vitest';
import { describeLateness, dueIn, toDateTimeLocal } from './format';

describe('assignment words', () => {
  const now = new Date('2026-12-02T12:00:00Z');
  it('says how far away a due date is, either way', () => {
    expect(dueIn('2026-12-02T12:10:00Z', now)).toBe('in 10 minutes');
    expect(dueIn('2026-12-02T17:00:00Z', now)).toBe('in 5 hours');
    expect(dueIn('2026-12-09T12:00:00Z', now)).toBe('in 7 days');
    expect(dueIn('2026-12-02T10:00:00Z', now)).toBe('2 hours ago');
    expect(dueIn('2026-12-02T12:00:20Z', now)).toBe('in less than a minute');
  });

  it('says how late a hand-in was in days, hours and minutes', () => {
    expect(describeLateness(0)).toBe('on time');
    expect(describeLateness(30)).toBe('less than a minute');
    expect(describeLateness(7500)).toBe('2 hours 5 minutes');
    expect(describeLateness(86_400 + 4 * 3600 + 120)).toBe('1 day 4 hours');
    expect(describeLateness(60)).toBe('1 minute');
  });

  it('writes a date as a datetime-local field value', () => {
    expect(toDateTimeLocal(new Date(2026, 11, 24, 9, 5))).toBe('2026-12-24T09:05');
  });
});
