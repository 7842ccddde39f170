import { z } from 'zod';

/**
 * Zod probes whether it may compile validators with `new Function`; the pages'
 * Content-Security-Policy forbids eval (server/security-headers.ts), so the probe would be
 * reported as a violation on every page. Validation in the browser is small enough without it.
 */
z.config({ jitless: true });
