import type { IncomingMessage } from 'node:http';
import { describe, expect, it } from 'vitest';
import { requestIsHttps } from './cookies';
import { isCrossSiteWrite } from './cross-site';

const request = (method: string, headers: Record<string, string>, encrypted = false) =>
  ({ method, headers: { host: 'lb.school.example', ...headers }, socket: { encrypted } }) as unknown as IncomingMessage;
const byHost = { allowedOrigins: [], trustProxy: false };

describe('isCrossSiteWrite', () => {
  it('lets reads through from anywhere', () => {
    for (const method of ['GET', 'HEAD', 'OPTIONS']) expect(isCrossSiteWrite(request(method, { origin: 'https://evil.example', 'sec-fetch-site': 'cross-site' }), byHost)).toBe(false);
  });

  it('takes writes from the Host’s own origin, over http or (behind an untrusted TLS proxy) https', () => {
    expect(isCrossSiteWrite(request('POST', { origin: 'http://lb.school.example', 'sec-fetch-site': 'same-origin' }), byHost)).toBe(false);
    expect(isCrossSiteWrite(request('POST', { origin: 'https://lb.school.example' }), byHost)).toBe(false);
    expect(isCrossSiteWrite(request('PUT', { origin: 'http://lb.school.example:8080' }), byHost)).toBe(true);
    expect(isCrossSiteWrite(request('DELETE', { origin: 'https://evil.example' }), byHost)).toBe(true);
  });

  it('with a trusted proxy, the scheme must be the one the proxy reports', () => {
    const trusted = { allowedOrigins: [], trustProxy: true };
    expect(isCrossSiteWrite(request('POST', { origin: 'https://lb.school.example', 'x-forwarded-proto': 'https' }), trusted)).toBe(false);
    expect(isCrossSiteWrite(request('POST', { origin: 'http://lb.school.example', 'x-forwarded-proto': 'https' }), trusted)).toBe(true);
  });

  it('refuses cross-site and same-site fetches without an Origin, and passes tools that send neither header', () => {
    expect(isCrossSiteWrite(request('POST', { 'sec-fetch-site': 'cross-site' }), byHost)).toBe(true);
    expect(isCrossSiteWrite(request('POST', { 'sec-fetch-site': 'same-site' }), byHost)).toBe(true);
    expect(isCrossSiteWrite(request('POST', { 'sec-fetch-site': 'none' }), byHost)).toBe(false);
    expect(isCrossSiteWrite(request('POST', {}), byHost)).toBe(false);
  });

  it('uses only the listed origins when LAYERBOOK_ORIGIN is set, a listed sibling site included', () => {
    const listed = { allowedOrigins: ['https://layerbook.school.example', 'https://lb.school.example'], trustProxy: false };
    expect(isCrossSiteWrite(request('POST', { origin: 'https://layerbook.school.example', 'sec-fetch-site': 'same-site' }), listed)).toBe(false);
    expect(isCrossSiteWrite(request('POST', { origin: 'http://lb.school.example' }), listed)).toBe(true);
    expect(isCrossSiteWrite(request('POST', { origin: 'https://other.school.example', 'sec-fetch-site': 'same-site' }), listed)).toBe(true);
  });
});

describe('requestIsHttps', () => {
  it('believes X-Forwarded-Proto only from a trusted proxy, taking the first of a chain', () => {
    expect(requestIsHttps(request('GET', { 'x-forwarded-proto': 'https' }), false)).toBe(false);
    expect(requestIsHttps(request('GET', { 'x-forwarded-proto': 'https, http' }), true)).toBe(true);
    expect(requestIsHttps(request('GET', { 'x-forwarded-proto': 'http' }), true)).toBe(false);
    expect(requestIsHttps(request('GET', {}, true), false)).toBe(true);
  });
});
