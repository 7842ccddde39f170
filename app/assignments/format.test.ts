import { describe, expect, it } from 'vitest';
import { describeLateness, toDateTimeLocal } from './format';

describe('assignment words', () => {
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
