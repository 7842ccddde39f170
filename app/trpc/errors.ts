/**
 * Errors from the API reach the page as TRPCClientError (code in `data.code`) or as plain
 * network failures. Turn either into a sentence for the student, keeping the server's own
 * message when it wrote one for people (its validation and limit errors do).
 */
export interface ApiProblem {
  code: string | null;
  message: string;
}

const FALLBACK: Record<string, string> = {
  BAD_REQUEST: 'The server did not accept these values. Check what you typed and try again.',
  NOT_FOUND: 'We could not find that. It may have been deleted.',
  FORBIDDEN: 'This belongs to someone else, so you cannot open or change it.',
  UNAUTHORIZED: 'Your session has ended. Reload the page to start a new one.',
  CONFLICT: 'This notebook was changed somewhere else. Reload the page to get the newest version.',
  TOO_MANY_REQUESTS: 'Too many tries in a short time. Wait a minute and try again.',
  INTERNAL_SERVER_ERROR: 'Something went wrong on the server. Try again in a moment.',
};

export function describeApiError(error: unknown): ApiProblem {
  const err = error as { message?: unknown; data?: { code?: unknown } } | null | undefined;
  const code = typeof err?.data?.code === 'string' ? err.data.code : null;
  const raw = typeof err?.message === 'string' ? err.message.trim() : '';
  if (code === null) {
    // No tRPC code: the request never got an answer (offline, server restarting).
    if (raw === '' || /fetch|network|load failed/i.test(raw)) {
      return { code: null, message: 'Could not reach the server. Check your connection; we will keep trying.' };
    }
    return { code: null, message: raw };
  }
  if (code === 'INTERNAL_SERVER_ERROR' || raw === '' || looksLikeValidationDump(raw)) {
    return { code, message: FALLBACK[code] ?? 'Something went wrong. Try again in a moment.' };
  }
  return { code, message: raw };
}

/** zod failures arrive as a JSON array of issues, which no student should have to read. */
function looksLikeValidationDump(message: string): boolean {
  return message.startsWith('[') && message.includes('"code"');
}

/**
 * How long the server asked to wait before trying again (its Retry-After header, in seconds
 * or as a date), in milliseconds; null when it did not say. tRPC keeps the HTTP response of
 * a failed call in `meta.response`.
 */
export function retryAfterMs(error: unknown, now = Date.now()): number | null {
  const headers = (error as { meta?: { response?: { headers?: { get?: unknown } } } } | null | undefined)?.meta?.response?.headers;
  const value = typeof headers?.get === 'function' ? (headers as Headers).get('retry-after')?.trim() : undefined;
  if (!value) return null;
  if (/^\d+$/.test(value)) return Number(value) * 1000;
  const at = Date.parse(value);
  return Number.isNaN(at) ? null : Math.max(0, at - now);
}
