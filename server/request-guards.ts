import type { IncomingMessage, ServerResponse } from 'node:http';
import { CROSS_SITE_MESSAGE, isCrossSiteWrite, type OriginPolicy } from './cross-site';
import { declaresTooBig, formatBytes, readBody, sendJson } from './request-body';
import { API_POLICY, keepCookieResponsesPrivate, newNonce, pagePolicy, setSecurityHeaders } from './security-headers';

export interface RequestGuardOptions extends OriginPolicy {
  /** LAYERBOOK_MAX_API_BODY_BYTES: every body except uploads, which have limits of their own. */
  maxApiBodyBytes: number;
  /** `npm run dev`: React's development build needs eval. */
  dev: boolean;
}

/** What the listener routes a request to; pages get a script nonce, everything else the API policy. */
export type RequestKind = 'page' | 'api' | 'upload';

/**
 * What every request passes before anything else looks at it: the security headers, the
 * cross-site check, and the body limit from the declared length. Returns true when it
 * answered the request itself (403, 413), so nothing else may run for it.
 */
export function createRequestGuards(options: RequestGuardOptions) {
  const bodyTooBig = (res: ServerResponse) =>
    sendJson(
      res,
      413,
      {
        error:
          `This request is bigger than the ${formatBytes(options.maxApiBodyBytes)} limit, so it was not read. ` +
          'If you were saving a notebook, make it smaller (fewer or shorter cells); whoever runs Layerbook can raise LAYERBOOK_MAX_API_BODY_BYTES.',
      },
      true,
    );

  return {
    answeredBeforeRouting(req: IncomingMessage, res: ServerResponse, kind: RequestKind): boolean {
      keepCookieResponsesPrivate(res);
      if (kind === 'page') {
        const policy = pagePolicy(newNonce(), { dev: options.dev });
        setSecurityHeaders(res, policy);
        // Next reads the nonce from the request's policy and puts it on every script it writes.
        req.headers['content-security-policy'] = policy;
      } else {
        setSecurityHeaders(res, API_POLICY);
      }
      // Refused before anything is read or written, a visitor's session included.
      if (isCrossSiteWrite(req, options)) {
        sendJson(res, 403, { error: CROSS_SITE_MESSAGE }, true);
        return true;
      }
      if (kind !== 'upload' && declaresTooBig(req, options.maxApiBodyBytes)) {
        bodyTooBig(res);
        return true;
      }
      return false;
    },

    /**
     * Reads a tRPC call's body up to the limit and hands it to tRPC as text; tRPC's own reader
     * would hold any size of body before refusing it. Only JSON is taken: the client always
     * sends it, and no form or text/plain body from elsewhere can then reach a procedure.
     * Returns true when it answered (413, 415).
     */
    async answeredWhileReadingTrpcBody(req: IncomingMessage, res: ServerResponse): Promise<boolean> {
      if (req.method !== 'POST') return false;
      const contentType = (req.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
      if (contentType !== 'application/json') {
        sendJson(res, 415, { error: "Layerbook's API takes JSON: send the call with Content-Type: application/json." }, true);
        return true;
      }
      const body = await readBody(req, options.maxApiBodyBytes);
      if (body === 'too-big') {
        bodyTooBig(res);
        return true;
      }
      (req as IncomingMessage & { body?: string }).body = Buffer.from(body).toString('utf8');
      return false;
    },
  };
}
