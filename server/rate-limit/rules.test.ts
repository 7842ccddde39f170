import { describe, expect, it } from 'vitest';
import { describeWait, formatRateRule, parseRateRule, tooManyTriesMessage } from './rules';

describe('rate rules', () => {
  it('reads the ways a README reader writes a limit', () => {
    expect(parseRateRule('10/minute')).toEqual({ points: 10, durationSeconds: 60 });
    expect(parseRateRule('300/hour')).toEqual({ points: 300, durationSeconds: 3600 });
    expect(parseRateRule('300 per hour')).toEqual({ points: 300, durationSeconds: 3600 });
    expect(parseRateRule('20/10minutes')).toEqual({ points: 20, durationSeconds: 600 });
    expect(parseRateRule('5/30s')).toEqual({ points: 5, durationSeconds: 30 });
    expect(parseRateRule('1000/day')).toEqual({ points: 1000, durationSeconds: 86_400 });
  });

  it('refuses what is not a limit', () => {
    for (const text of ['10', 'ten/minute', '10/fortnight', '0/minute', '10/0minutes', '-1/hour', '']) {
      expect(parseRateRule(text), text).toBeNull();
    }
  });

  it('writes a rule back the way it is read', () => {
    for (const text of ['10/minute', '300/hour', '20/10minutes', '5/30seconds']) {
      expect(formatRateRule(parseRateRule(text)!)).toBe(text);
    }
  });

  it('tells a student what happened and how long to wait, rounded up', () => {
    expect(tooManyTriesMessage('join', 40)).toBe('Too many tries to join a class. Wait 40 seconds and try again.');
    expect(describeWait(0.2)).toBe('1 second');
    expect(describeWait(59.1)).toBe('60 seconds');
    expect(describeWait(61)).toBe('2 minutes');
    expect(describeWait(3600)).toBe('60 minutes');
    expect(tooManyTriesMessage('run', 30)).toMatch(/^You pressed Train too many times in a row\. Wait 30 seconds/);
  });
});
