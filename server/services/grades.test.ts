import { describe, expect, it } from 'vitest';
import { hoursLate } from './grades';

describe('hours late in the grades file', () => {
  it('gives hours to two decimals, and never 0 for a hand-in that is late by seconds', () => {
    expect(hoursLate(5_400)).toBe(1.5);
    expect(hoursLate(3_600 * 26 + 36)).toBe(26.01);
    expect(hoursLate(10)).toBe(0.01);
  });
});
