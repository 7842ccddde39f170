import type { IncomingMessage } from 'node:http';
import { describe, expect, it } from 'vitest';
import { clientAddress, limitKeyOfAddress } from './client-ip';

const request = (remoteAddress: string, forwardedFor?: string) =>
  ({ socket: { remoteAddress }, headers: forwardedFor === undefined ? {} : { 'x-forwarded-for': forwardedFor } }) as unknown as IncomingMessage;

describe('the client address that rate limits count', () => {
  it('is the socket address, whatever X-Forwarded-For claims, unless the proxy is trusted', () => {
    expect(clientAddress(request('203.0.113.7', '198.51.100.1'), false)).toBe('203.0.113.7');
    expect(clientAddress(request('::ffff:203.0.113.7'), false)).toBe('203.0.113.7');
  });

  it("is the address the trusted proxy saw: the header's last entry, not one the client wrote before it", () => {
    expect(clientAddress(request('10.0.0.2', '198.51.100.1'), true)).toBe('198.51.100.1');
    expect(clientAddress(request('10.0.0.2', '1.2.3.4, 198.51.100.1'), true)).toBe('198.51.100.1');
    expect(clientAddress(request('10.0.0.2'), true)).toBe('10.0.0.2');
  });

  it('counts an IPv6 client by its /64, which one household or phone gets whole', () => {
    expect(limitKeyOfAddress('2001:db8:1:2:aaaa::1')).toBe('2001:db8:1:2::/64');
    expect(limitKeyOfAddress('2001:db8:1:2:ffff:ffff:ffff:ffff')).toBe('2001:db8:1:2::/64');
    expect(limitKeyOfAddress('2001:0db8:0001:0002::9')).toBe('2001:db8:1:2::/64');
    expect(limitKeyOfAddress('2001:db8::1')).toBe('2001:db8:0:0::/64');
    expect(limitKeyOfAddress('::1')).toBe('0:0:0:0::/64');
  });
});
