import { createServer, type OutgoingHttpHeaders, type RequestListener } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import { keepCookieResponsesPrivate } from './security-headers';

/** The headers a real client receives from a handler, after keepCookieResponsesPrivate. */
async function received(handler: RequestListener): Promise<Headers> {
  const server = createServer((req, res) => {
    keepCookieResponsesPrivate(res);
    handler(req, res);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  try {
    const response = await fetch(`http://127.0.0.1:${(server.address() as AddressInfo).port}/`);
    await response.text();
    return response.headers;
  } finally {
    await new Promise((resolve) => server.close(resolve));
  }
}

describe('keepCookieResponsesPrivate', () => {
  const cookie = 'lb_session=abc; Path=/; HttpOnly';
  it.each<[string, RequestListener]>([
    ['setHeader, then an implicit writeHead', (_req, res) => {
      res.setHeader('Set-Cookie', cookie);
      res.setHeader('Cache-Control', 's-maxage=31536000');
      res.end('x');
    }],
    ['writeHead with an object', (_req, res) => {
      res.writeHead(200, { 'set-cookie': cookie, 'cache-control': 'public, max-age=60' } satisfies OutgoingHttpHeaders).end('x');
    }],
    ['writeHead with raw pairs', (_req, res) => {
      res.writeHead(200, ['Set-Cookie', cookie, 'Cache-Control', 's-maxage=31536000']).end('x');
    }],
    ['a cookie set earlier and caching asked for in writeHead', (_req, res) => {
      res.appendHeader('Set-Cookie', cookie);
      res.writeHead(200, 'OK', { 'Cache-Control': 's-maxage=31536000' }).end('x');
    }],
  ])('makes a cookie-setting response private and unstored: %s', async (_name, handler) => {
    const headers = await received(handler);
    expect(headers.getSetCookie()).toEqual([cookie]);
    expect(headers.get('cache-control')).toBe('private, no-store');
  });

  it('leaves the caching of responses without cookies alone', async () => {
    const headers = await received((_req, res) => res.writeHead(200, { 'Cache-Control': 'public, max-age=60' }).end('x'));
    expect(headers.get('cache-control')).toBe('public, max-age=60');
  });
});
