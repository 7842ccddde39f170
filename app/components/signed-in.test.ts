import { describe, expect, it } from 'vitest';
import { readPageAccount } from './signed-in';

const encode = (value: unknown) => encodeURIComponent(JSON.stringify(value));

describe('who the page says is signed in', () => {
  it('reads the account the server put in the header, names in any script included', () => {
    expect(readPageAccount(encode({ displayName: 'Zoë Ó Briain 李', username: 'zoe', role: 'teacher' }))).toEqual({ displayName: 'Zoë Ó Briain 李', username: 'zoe', role: 'teacher' });
  });

  it('tells "nobody signed in" apart from "cannot tell"', () => {
    expect(readPageAccount(encode(null))).toBeNull();
    expect(readPageAccount(null)).toBeUndefined();
  });

  it('treats anything else as "cannot tell", so the menu asks the API instead of showing it', () => {
    expect(readPageAccount('%E0%A4%A')).toBeUndefined();
    expect(readPageAccount('{not json')).toBeUndefined();
    expect(readPageAccount(encode({ displayName: 'Sam', username: 'sam', role: 'owner' }))).toBeUndefined();
    expect(readPageAccount(encode({ displayName: 'Sam' }))).toBeUndefined();
  });
});
