import type { IncomingMessage } from 'node:http';
import { isIPv6 } from 'node:net';

/**
 * The address rate limits count against. The socket's address, unless the school runs
 * Layerbook behind its own proxy (LAYERBOOK_TRUST_PROXY=1): then the proxy's
 * X-Forwarded-For, whose last entry is the one the proxy itself added (entries before it
 * were sent by the client and could be anything). Without that setting the header is
 * ignored, so nobody escapes a limit by inventing addresses.
 */
export function clientAddress(req: IncomingMessage, trustProxy: boolean): string {
  let address = req.socket.remoteAddress ?? 'unknown';
  if (trustProxy) {
    const header = req.headers['x-forwarded-for'];
    const forwarded = (Array.isArray(header) ? header.join(',') : (header ?? ''))
      .split(',')
      .map((part) => part.trim())
      .filter(Boolean)
      .at(-1);
    if (forwarded) address = forwarded;
  }
  return limitKeyOfAddress(address);
}

/**
 * IPv4 addresses count one by one. An IPv6 user gets a whole /64 from their provider, so
 * counting single addresses would give them billions of fresh ones: count the /64.
 */
export function limitKeyOfAddress(address: string): string {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  if (mapped) return mapped[1]!;
  if (!isIPv6(address)) return address;
  const [head = '', tail = ''] = address.split('::');
  const headGroups = head ? head.split(':') : [];
  const tailGroups = address.includes('::') && tail ? tail.split(':') : [];
  const groups = address.includes('::')
    ? [...headGroups, ...Array(8 - headGroups.length - tailGroups.length).fill('0'), ...tailGroups]
    : address.split(':');
  return `${groups.slice(0, 4).map((g) => g.toLowerCase().replace(/^0+(?=.)/, '')).join(':')}::/64`;
}
