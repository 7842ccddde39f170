import { randomBytes } from 'node:crypto';
import type { ServerResponse } from 'node:http';

/**
 * The Content-Security-Policy of a page. Scripts run only when they carry this response's
 * nonce (Next adds it to its own scripts when it finds it in the request's
 * Content-Security-Policy header) or are loaded by such a script ('strict-dynamic': the
 * chunks Blockly and Monaco load). No 'unsafe-inline' for scripts, so injected markup cannot
 * run. Styles stay inline-able: Blockly, Monaco and Observable Plot write style attributes.
 * Monaco's worker is a same-origin module (blob: for browsers that wrap it).
 */
export function pagePolicy(nonce: string, options: { dev: boolean }): string {
  return [
    "default-src 'self'",
    // React's development build evaluates code for its error overlay; production never does.
    // 'wasm-unsafe-eval' lets WebAssembly compile, and nothing else: no JavaScript from text. TF.js
    // ("Try your model") loads the 64-bit integer library `long`, which compiles a tiny
    // WebAssembly helper as it loads; it works without (it falls back to JavaScript), but the
    // browser would report a refusal each time. TF.js's WebAssembly backend would need it too.
    `script-src 'self' 'nonce-${nonce}' 'strict-dynamic' 'wasm-unsafe-eval'${options.dev ? " 'unsafe-eval'" : ''}`,
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "font-src 'self' data:",
    "media-src 'self' data: blob:",
    "worker-src 'self' blob:",
    `connect-src 'self'${options.dev ? ' ws: wss:' : ''}`,
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'self'",
  ].join('; ');
}

/** API answers are data, never documents: nothing in them may load or run. */
export const API_POLICY = "default-src 'none'; frame-ancestors 'self'; base-uri 'none'; form-action 'none'";

export function newNonce(): string {
  return randomBytes(18).toString('base64');
}

/**
 * Headers every response carries, whatever answers it: no content sniffing (a JSON answer or
 * a downloaded weights file is never run as a script or page), no framing by other sites,
 * and no full URL (notebook ids) leaked to other sites in Referer.
 */
export function setSecurityHeaders(res: ServerResponse, contentSecurityPolicy: string): void {
  res.setHeader('Content-Security-Policy', contentSecurityPolicy);
  res.setHeader('X-Content-Type-Options', 'nosniff');
  res.setHeader('X-Frame-Options', 'SAMEORIGIN');
  res.setHeader('Referrer-Policy', 'same-origin');
}

/**
 * A response that sets a cookie belongs to one browser: a shared cache (a school's proxy, a
 * CDN) must never keep it, or it would hand one student's session to the next. Whoever sets
 * the cookie and whatever caching the renderer asks for, this is decided as the headers go out.
 */
export function keepCookieResponsesPrivate(res: ServerResponse): void {
  const writeHead = res.writeHead;
  res.writeHead = function writeHeadPrivately(this: ServerResponse, ...args: unknown[]) {
    const headerArg = args.find((a, i) => i > 0 && a !== null && typeof a === 'object') as
      | Record<string, unknown>
      | unknown[]
      | undefined;
    let setsCookie = res.hasHeader('set-cookie');
    if (Array.isArray(headerArg)) {
      // Raw pairs: [name, value, name, value…] or [[name, value]…]. Drop any Cache-Control in them.
      const flat = headerArg.every((h) => typeof h === 'string');
      const pairs: Array<[string, unknown]> = flat
        ? Array.from({ length: headerArg.length / 2 }, (_, i) => [String(headerArg[i * 2]), headerArg[i * 2 + 1]])
        : (headerArg as Array<[string, unknown]>);
      setsCookie ||= pairs.some(([name]) => name.toLowerCase() === 'set-cookie');
      if (setsCookie) {
        const kept = pairs.filter(([name]) => name.toLowerCase() !== 'cache-control');
        kept.push(['Cache-Control', 'private, no-store']);
        args[args.indexOf(headerArg)] = flat ? kept.flat() : kept;
      }
    } else if (headerArg) {
      setsCookie ||= Object.keys(headerArg).some((name) => name.toLowerCase() === 'set-cookie');
      if (setsCookie) {
        for (const name of Object.keys(headerArg)) if (name.toLowerCase() === 'cache-control') delete headerArg[name];
      }
    }
    if (setsCookie) res.setHeader('Cache-Control', 'private, no-store');
    return (writeHead as (...a: unknown[]) => ServerResponse).apply(this, args);
  } as ServerResponse['writeHead'];
}
