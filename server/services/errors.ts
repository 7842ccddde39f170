/**
 * Services throw this instead of TRPCError so they stay usable outside tRPC (scripts,
 * tests, a future worker); server/api/trpc.ts turns it into the matching tRPC error.
 * Messages are shown to students as they are, so they say what happened and what to do.
 */
export type ServiceErrorCode = 'BAD_REQUEST' | 'NOT_FOUND' | 'CONFLICT' | 'FORBIDDEN' | 'UNAUTHORIZED' | 'SERVICE_UNAVAILABLE' | 'TOO_MANY_REQUESTS';

export class ServiceError extends Error {
  constructor(
    readonly code: ServiceErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'ServiceError';
  }
}

export const notebookNotFound = () =>
  new ServiceError('NOT_FOUND', 'This notebook does not exist, or it belongs to someone else. Go back to your notebook list and open one from there.');

export const runNotFound = () =>
  new ServiceError('NOT_FOUND', 'This training run does not exist, or it belongs to someone else.');

/** The HTTP status for each code, for the routes served outside tRPC (uploads, downloads). */
export const HTTP_STATUS: Record<ServiceErrorCode, number> = {
  BAD_REQUEST: 400,
  UNAUTHORIZED: 401,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  CONFLICT: 409,
  TOO_MANY_REQUESTS: 429,
  SERVICE_UNAVAILABLE: 503,
};

/** Whether a database error (or one it wraps) is a unique constraint refusing a second row. */
export function isUniqueViolation(error: unknown): boolean {
  for (let e: unknown = error; e; e = (e as { cause?: unknown }).cause) {
    if ((e as { code?: unknown }).code === '23505') return true;
  }
  return false;
}
