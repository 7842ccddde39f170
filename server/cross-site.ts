import type { IncomingMessage } from 'node:http';
import { requestIsHttps } from './cookies';

export interface OriginPolicy {
  /** LAYERBOOK_ORIGIN: the addresses students open. Empty: the request's own Host. */
  allowedOrigins: readonly string[];
  /** LAYERBOOK_TRUST_PROXY: the scheme comes from X-Forwarded-Proto. */
  trustProxy: boolean;
}

/** Reads never change anything, so only these may come from anywhere. */
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

export const CROSS_SITE_MESSAGE =
  'This request came from another website, so Layerbook refused it: only Layerbook\'s own pages may change your work. ' +
  'Open Layerbook itself and try again. (Whoever runs Layerbook behind a proxy: set LAYERBOOK_ORIGIN to the address students open.)';

/**
 * Whether a request that may change something comes from Layerbook's own pages. SameSite=Lax
 * cookies are not enough: a form or fetch() from another site on the same host (another port,
 * a sibling subdomain) still carries them, with any content type that needs no preflight.
 *
 * - `Origin`, which browsers send on every cross-origin POST, must be one of ours.
 * - `Sec-Fetch-Site: cross-site` or `same-site` is refused unless its Origin is explicitly listed.
 * - A request with neither header did not come from a browser page (curl, the CLI, tests):
 *   it carries no victim's intent, only its sender's own cookie, so it passes.
 */
export function isCrossSiteWrite(req: IncomingMessage, policy: OriginPolicy): boolean {
  if (SAFE_METHODS.has(req.method ?? 'GET')) return false;
  const origin = typeof req.headers.origin === 'string' ? req.headers.origin : undefined;
  const fetchSite = typeof req.headers['sec-fetch-site'] === 'string' ? req.headers['sec-fetch-site'].toLowerCase() : undefined;
  const listed = origin !== undefined && policy.allowedOrigins.includes(origin);
  if ((fetchSite === 'cross-site' || fetchSite === 'same-site') && !listed) return true;
  if (origin === undefined) return false;
  return !ownOrigins(req, policy).includes(origin);
}

/** The origins this request may come from: the configured list, else its own Host. */
export function ownOrigins(req: IncomingMessage, policy: OriginPolicy): readonly string[] {
  if (policy.allowedOrigins.length > 0) return policy.allowedOrigins;
  const host = req.headers.host;
  if (!host) return [];
  const own = `${requestIsHttps(req, policy.trustProxy) ? 'https' : 'http'}://${host.toLowerCase()}`;
  // Without a trusted proxy a TLS proxy in front looks like plain http here; the https page of
  // the same host is still us, and only a listed origin is needed for anything stranger.
  return policy.trustProxy ? [own] : [own, `https://${host.toLowerCase()}`];
}
