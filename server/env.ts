import { z } from 'zod';
import { DEFAULT_MAX_PARAMS } from '../blocks/compile';
import { DEFAULT_DATA_DIR } from '../db/client';
import { DEFAULT_MAX_UPLOAD_PIXELS } from './data/pictures';
import { DEFAULT_RATE_LIMITS, RATE_RULE_EXAMPLE, formatRateRule, parseRateRule, type RateLimitSettings, type RateRule } from './rate-limit/rules';
import { DEFAULT_NOTEBOOK_LIMITS as NOTEBOOK } from '../blocks/format/notebook-limits';

const optionalText = z
  .string()
  .trim()
  .transform((v) => (v === '' ? undefined : v))
  .optional();

const MAX_PARAMS_MESSAGE = 'LAYERBOOK_MAX_PARAMS must be a whole number of parameters above 0, like 5000000';
const PORT_MESSAGE = 'PORT must be a number from 1 to 65535, like 3000';

/** A whole number above 0, with a message that names the variable and shows an example. */
const positiveWhole = (name: string, example: number, fallback: number) => {
  const message = `${name} must be a whole number above 0, like ${example}`;
  return z.coerce.number({ error: message }).int({ error: message }).positive({ error: message }).default(fallback);
};

/** A rate limit written as "10/minute" or "300/hour"; see the README's table for each default and why. */
const rateRule = (name: string, fallback: RateRule) => {
  const message = `${name} must be a number of tries per time, like ${RATE_RULE_EXAMPLE} or 300/hour (default ${formatRateRule(fallback)})`;
  return optionalText.transform((text, ctx): RateRule => {
    if (text === undefined) return fallback;
    const rule = parseRateRule(text);
    if (!rule) {
      ctx.addIssue({ code: 'custom', message });
      return z.NEVER;
    }
    return rule;
  });
};

/** The environment variable of each rate limit. */
export const RATE_LIMIT_VARIABLES: Record<keyof RateLimitSettings, string> = {
  sessionPerIp: 'LAYERBOOK_RATE_SESSIONS_PER_IP',
  joinPerUser: 'LAYERBOOK_RATE_JOINS_PER_USER',
  joinPerIp: 'LAYERBOOK_RATE_JOINS_PER_IP',
  runPerUser: 'LAYERBOOK_RATE_RUNS_PER_USER',
  runPerIp: 'LAYERBOOK_RATE_RUNS_PER_IP',
  uploadPerUser: 'LAYERBOOK_RATE_UPLOADS_PER_USER',
  uploadPerIp: 'LAYERBOOK_RATE_UPLOADS_PER_IP',
  savePerUser: 'LAYERBOOK_RATE_SAVES_PER_USER',
  signInPerUsername: 'LAYERBOOK_RATE_SIGN_INS_PER_USERNAME',
  signInPerIp: 'LAYERBOOK_RATE_SIGN_INS_PER_IP',
  signUpPerUsername: 'LAYERBOOK_RATE_SIGN_UPS_PER_USERNAME',
  signUpPerIp: 'LAYERBOOK_RATE_SIGN_UPS_PER_IP',
  handInPerUser: 'LAYERBOOK_RATE_HAND_INS_PER_USER',
  handInPerIp: 'LAYERBOOK_RATE_HAND_INS_PER_IP',
};

const rateLimitFields = Object.fromEntries(
  (Object.keys(RATE_LIMIT_VARIABLES) as Array<keyof RateLimitSettings>).map((key) => [RATE_LIMIT_VARIABLES[key], rateRule(RATE_LIMIT_VARIABLES[key], DEFAULT_RATE_LIMITS[key])]),
) as Record<string, ReturnType<typeof rateRule>>;

/** CSV files and pictures: a class's worth of photos fits. */
export const DEFAULT_MAX_UPLOAD_BYTES = 20 * 1024 * 1024;
/** IDX uploads, a teacher's full-size sets: Fashion-MNIST's four .gz files are 31 MB (55 MB unpacked). */
export const DEFAULT_MAX_IDX_UPLOAD_BYTES = 64 * 1024 * 1024;
/**
 * Every other request body (tRPC calls above all). The biggest legal body is a notebook save:
 * at most 200 cells of at most 128 KB each (the notebook limits, LAYERBOOK_MAX_CELLS and
 * LAYERBOOK_MAX_CELL_BYTES) is 25 MB; 32 MB holds that with its envelope, while a 300 MB body
 * is refused from its headers. Raise it together with those two.
 */
export const DEFAULT_MAX_API_BODY_BYTES = 32 * 1024 * 1024;

const ORIGIN_MESSAGE = 'LAYERBOOK_ORIGIN must be the address students open, like https://layerbook.school.example (several separated by commas)';
/** "https://a.example, http://b.example:8080" → their origins; the path, if any, is dropped. */
const originList = z
  .string()
  .trim()
  .transform((text, ctx) => {
    const origins: string[] = [];
    for (const part of text.split(',').map((p) => p.trim()).filter(Boolean)) {
      let url: URL | null = null;
      try {
        url = new URL(part);
      } catch {
        url = null;
      }
      if (!url || (url.protocol !== 'http:' && url.protocol !== 'https:')) {
        ctx.addIssue({ code: 'custom', message: ORIGIN_MESSAGE });
        return z.NEVER;
      }
      origins.push(url.origin);
    }
    return origins;
  })
  .optional()
  .transform((v) => v ?? []);

const SWITCH_MESSAGE = (name: string) => `${name} must be 1 (on) or 0 (off)`;
const onOff = (name: string) =>
  z
    .enum(['', '0', '1', 'true', 'false', 'on', 'off', 'yes', 'no'], { error: SWITCH_MESSAGE(name) })
    .optional()
    .transform((v) => v === '1' || v === 'true' || v === 'on' || v === 'yes');

const envSchema = z.object({
  PORT: z.coerce
    .number({ error: PORT_MESSAGE })
    .int({ error: PORT_MESSAGE })
    .min(1, { error: PORT_MESSAGE })
    .max(65535, { error: PORT_MESSAGE })
    .default(3000),
  HOST: z.string().trim().min(1).default('0.0.0.0'),
  DATABASE_URL: optionalText.refine((v) => v === undefined || /^postgres(ql)?:\/\//.test(v), {
    error: 'DATABASE_URL must start with postgres:// (or leave it unset to use the built-in database)',
  }),
  LAYERBOOK_DATA_DIR: optionalText.transform((v) => v ?? DEFAULT_DATA_DIR),
  LAYERBOOK_MAX_PARAMS: z.coerce
    .number({ error: MAX_PARAMS_MESSAGE })
    .int({ error: MAX_PARAMS_MESSAGE })
    .positive({ error: MAX_PARAMS_MESSAGE })
    .default(DEFAULT_MAX_PARAMS),
  /** Forces one TF.js backend (e.g. "cpu", "wasm"); unset lets the trainer pick the fastest that loads. */
  LAYERBOOK_BACKEND: optionalText,
  LAYERBOOK_DEV: optionalText,
  /** Runs of one student trained at the same time. */
  LAYERBOOK_MAX_RUNNING_PER_USER: positiveWhole('LAYERBOOK_MAX_RUNNING_PER_USER', 1, 1),
  /** Runs of one student waiting in line at once; more are refused with a message. */
  LAYERBOOK_MAX_QUEUED_PER_USER: positiveWhole('LAYERBOOK_MAX_QUEUED_PER_USER', 3, 3),
  /** Seconds a run may train before it is stopped. */
  LAYERBOOK_RUN_TIME_LIMIT_S: positiveWhole('LAYERBOOK_RUN_TIME_LIMIT_S', 1800, 1800),
  /**
   * Megabytes one training process may use (resident memory; its JavaScript heap gets half,
   * its WebAssembly memory all of it). Past it the run fails saying the model or batch is too
   * big, and the process is replaced. The default 3072 is the 2 GiB a model may need by the
   * memory estimate plus Node, TF.js and a loaded dataset (about 300 MB with MNIST).
   */
  LAYERBOOK_TRAINING_MEMORY_MB: positiveWhole('LAYERBOOK_TRAINING_MEMORY_MB', 3072, 3072),
  /** Seconds without a heartbeat after which a worker counts as gone and its run is failed. */
  LAYERBOOK_HEARTBEAT_TIMEOUT_S: positiveWhole('LAYERBOOK_HEARTBEAT_TIMEOUT_S', 30, 30),
  /** Largest CSV or picture upload in bytes; a bigger one is answered 413 before it is read. */
  LAYERBOOK_MAX_UPLOAD_BYTES: positiveWhole('LAYERBOOK_MAX_UPLOAD_BYTES', DEFAULT_MAX_UPLOAD_BYTES, DEFAULT_MAX_UPLOAD_BYTES),
  /** Largest IDX upload (all files together) in bytes. */
  LAYERBOOK_MAX_IDX_UPLOAD_BYTES: positiveWhole('LAYERBOOK_MAX_IDX_UPLOAD_BYTES', DEFAULT_MAX_IDX_UPLOAD_BYTES, DEFAULT_MAX_IDX_UPLOAD_BYTES),
  /** Largest body of any other request (tRPC calls, pages); a bigger one is answered 413 before it is read. */
  LAYERBOOK_MAX_API_BODY_BYTES: positiveWhole('LAYERBOOK_MAX_API_BODY_BYTES', DEFAULT_MAX_API_BODY_BYTES, DEFAULT_MAX_API_BODY_BYTES),
  /** Pixels of all pictures in one upload together, checked from their headers before decoding. */
  LAYERBOOK_MAX_UPLOAD_PIXELS: positiveWhole('LAYERBOOK_MAX_UPLOAD_PIXELS', DEFAULT_MAX_UPLOAD_PIXELS, DEFAULT_MAX_UPLOAD_PIXELS),
  /**
   * The addresses students open, when a proxy in front of Layerbook changes the Host header.
   * Unset: the request's own Host. Requests that change something from any other origin get 403.
   */
  LAYERBOOK_ORIGIN: originList,
  /**
   * On behind a reverse proxy (nginx, a load balancer) that sets X-Forwarded-Proto and
   * X-Forwarded-For: https is then read from X-Forwarded-Proto (cookies become Secure) and the
   * client's address for rate limits from X-Forwarded-For. Off by default: without a proxy anyone could send them.
   */
  LAYERBOOK_TRUST_PROXY: onOff('LAYERBOOK_TRUST_PROXY'),
  /**
   * Signs account cookies. Unset: one is made on first start and kept in the database, which
   * is right for nearly everyone; set it only to sign with a secret kept elsewhere.
   */
  LAYERBOOK_AUTH_SECRET: optionalText.refine((v) => v === undefined || v.length >= 32, {
    error: 'LAYERBOOK_AUTH_SECRET must have at least 32 characters (or leave it unset: Layerbook then keeps one in its database)',
  }),
  ...rateLimitFields,
  /** Cells in one notebook; a save with more is refused, saying so (blocks/format/notebook-limits.ts). */
  LAYERBOOK_MAX_CELLS: positiveWhole('LAYERBOOK_MAX_CELLS', NOTEBOOK.maxCells, NOTEBOOK.maxCells),
  /** Bytes of one cell's JSON. */
  LAYERBOOK_MAX_CELL_BYTES: positiveWhole('LAYERBOOK_MAX_CELL_BYTES', NOTEBOOK.maxCellBytes, NOTEBOOK.maxCellBytes),
  /** Nesting depth of one cell's JSON (blocks inside blocks). */
  LAYERBOOK_MAX_WORKSPACE_DEPTH: positiveWhole('LAYERBOOK_MAX_WORKSPACE_DEPTH', NOTEBOOK.maxWorkspaceDepth, NOTEBOOK.maxWorkspaceDepth),
  /** Blocks in one cell. */
  LAYERBOOK_MAX_WORKSPACE_BLOCKS: positiveWhole('LAYERBOOK_MAX_WORKSPACE_BLOCKS', NOTEBOOK.maxWorkspaceBlocks, NOTEBOOK.maxWorkspaceBlocks),
});

export type Env = z.infer<typeof envSchema>;

/** Reads the environment once at start, so a typo stops the server with a clear message instead of failing later. */
export function loadEnv(source: Readonly<Record<string, string | undefined>> = process.env): Env {
  const parsed = envSchema.safeParse(source);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((issue) => `  ${issue.path.join('.')}: ${issue.message}`);
    throw new Error(`Layerbook cannot start: some environment variables are wrong.\n${lines.join('\n')}`);
  }
  return parsed.data;
}

/** The rate limits the environment sets, each its default where unset. */
export function rateLimitSettings(env: Env): RateLimitSettings {
  const record = env as unknown as Record<string, RateRule>;
  return Object.fromEntries(
    (Object.keys(RATE_LIMIT_VARIABLES) as Array<keyof RateLimitSettings>).map((key) => [key, record[RATE_LIMIT_VARIABLES[key]]!]),
  ) as unknown as RateLimitSettings;
}
