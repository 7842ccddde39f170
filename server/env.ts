import { z } from 'zod';
import { DEFAULT_MAX_PARAMS } from '../blocks/compile';
import { DEFAULT_DATA_DIR } from '../db/client';
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

/** CSV files and pictures: a class's worth of photos fits. */
export const DEFAULT_MAX_UPLOAD_BYTES = 20 * 1024 * 1024;
/** IDX uploads, a teacher's full-size sets: Fashion-MNIST's four .gz files are 31 MB (55 MB unpacked). */
export const DEFAULT_MAX_IDX_UPLOAD_BYTES = 64 * 1024 * 1024;

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
  /** Seconds without a heartbeat after which a worker counts as gone and its run is failed. */
  LAYERBOOK_HEARTBEAT_TIMEOUT_S: positiveWhole('LAYERBOOK_HEARTBEAT_TIMEOUT_S', 30, 30),
  /** Largest CSV or picture upload in bytes; a bigger one is answered 413 before it is read. */
  LAYERBOOK_MAX_UPLOAD_BYTES: positiveWhole('LAYERBOOK_MAX_UPLOAD_BYTES', DEFAULT_MAX_UPLOAD_BYTES, DEFAULT_MAX_UPLOAD_BYTES),
  /** Largest IDX upload (all files together) in bytes. */
  LAYERBOOK_MAX_IDX_UPLOAD_BYTES: positiveWhole('LAYERBOOK_MAX_IDX_UPLOAD_BYTES', DEFAULT_MAX_IDX_UPLOAD_BYTES, DEFAULT_MAX_IDX_UPLOAD_BYTES),
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
