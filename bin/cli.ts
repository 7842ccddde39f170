/**
 * `layerbook`: look at a model file from the terminal — its layers and shapes, its code in
 * TF.js, Keras or PyTorch, and the catalogue of layers — or train it. Every command reads
 * through the same code as the notebook (readModelText → compileSpec), so the terminal and
 * the page agree.
 */
import { readFileSync, statSync } from 'node:fs';
import { LAYERS, getLayer } from '../blocks/catalog';
import { kerasArgName } from '../blocks/codegen/keras-names';
import { CODE_LANGUAGES, getCodeLanguage } from '../blocks/codegen/languages';
import { compileSpec, type CompileOptions, type CompileResult } from '../blocks/compile';
import { datasetFitDiagnostics } from '../blocks/shapes/dataset-fit';
import { BUILT_IN_DATASETS, BUILT_IN_DATASET_IDS, isBuiltInDatasetId, uploadedInfo, type BuiltInDatasetId } from '../blocks/format/datasets';
import { hasErrors, type Diagnostic } from '../blocks/format/diagnostic';
import { DEFAULT_TRAINING, trainingSpecSchema } from '../blocks/format/model-spec';
import { MAX_MODEL_FILE_BYTES, readModelText } from '../blocks/model-file';
import type { Io } from './io';


/** Exit codes: 0 fine, 1 the model or file has a problem, 2 the command line was wrong. */
const OK = 0;
const BAD_INPUT = 1;
const USAGE = 2;

const LANG_IDS = CODE_LANGUAGES.map((l) => l.id).join('|');
/** Kept in step with server/training/backend.ts, which this file must not import: it loads TF.js. */
const BACKEND_CHOICES = ['auto', 'wasm', 'cpu', 'tensorflow'] as const;
const BACKENDS = BACKEND_CHOICES.join('|');

export const USAGE_TEXT = `Usage: layerbook <command> [options]

Commands:
  inspect FILE [--json]        List the layers of a model with their output shapes and parameters.
  code FILE --lang ${LANG_IDS}
                               Print the code that builds the model.
  layers [--json]              List every layer Layerbook has, with its arguments.
  train FILE --dataset NAME --epochs N [--batch-size N] [--backend ${BACKENDS}] [--save DIR] [--json]
                               Train the model on a built-in dataset (${BUILT_IN_DATASET_IDS.join(', ')})
                               or, with DATABASE_URL, on an uploaded one by its id,
                               with the same limits as the server. Progress goes to stderr;
                               --json prints one JSON object with the results on stdout;
                               --save writes the trained model to DIR as TF.js model.json + weights.bin.
  worker [--processes N]       Train runs for a Layerbook server on this machine (needs DATABASE_URL).
  admin create --username NAME --name "FULL NAME" [--password P]
                               Make an admin account on the server's database (DATABASE_URL, or the
                               built-in one: stop the server first). Without --password a first
                               password is made and printed.

FILE is a Keras model JSON (model.to_json()), a Layerbook notebook export, a model cell or a
model spec. Use - to read from standard input.

Options:
  --json       Print one JSON object instead of a table.
  -h, --help   Show this help.
`;

export async function main(argv: readonly string[], io: Io): Promise<number> {
  const flags = new Set(argv.filter((a) => a.startsWith('-') && a !== '-'));
  if (argv.length === 0 || flags.has('--help') || flags.has('-h') || argv[0] === 'help') {
    io[argv.length === 0 ? 'stderr' : 'stdout'].write(USAGE_TEXT);
    return argv.length === 0 ? USAGE : OK;
  }
  const [command, ...rest] = argv;
  try {
    switch (command) {
      case 'inspect':
        return inspect(parse(rest, { json: false }, 1), io);
      case 'code':
        return code(parse(rest, { lang: true }, 1), io);
      case 'layers':
        return layers(parse(rest, { json: false }, 0), io);
      case 'worker':
        return await worker(rest, io);
      case 'train':
        return await train(parseTrain(rest), io);
      case 'admin':
        return await admin(rest, io);
      default:
        throw new UsageError(`Unknown command "${command}".`);
    }
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    io.stderr.write(`layerbook: ${error.message}\n\n${USAGE_TEXT}`);
    return USAGE;
  }
}

class UsageError extends Error {}

/** Loaded only for this command: it brings TF.js and the database drivers with it. */
async function worker(args: readonly string[], io: Io): Promise<number> {
  let processes = 1;
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    const value = arg === '--processes' ? args[++i] : arg.startsWith('--processes=') ? arg.slice('--processes='.length) : null;
    if (value === null) throw new UsageError(`Unknown option "${arg}" for worker.`);
    processes = Number(value);
    if (!Number.isInteger(processes) || processes < 1) throw new UsageError('--processes needs a whole number above 0, like 2.');
  }
  const { runWorker } = await import('../server/queue/external-worker');
  return runWorker(io, { processes });
}

/** `admin create`: the options are checked here; the account rules (username, password) in the service. */
async function admin(args: readonly string[], io: Io): Promise<number> {
  const [sub, ...options] = args;
  if (sub !== 'create') throw new UsageError(sub ? `Unknown admin command "${sub}". Use "admin create".` : 'Say what to do: "admin create".');
  const values: Record<string, string> = {};
  for (let i = 0; i < options.length; i++) {
    const arg = options[i]!;
    const match = /^--(username|name|password)(?:=(.*))?$/.exec(arg);
    if (!match) throw new UsageError(`Unknown option "${arg}" for admin create.`);
    const value = match[2] ?? options[++i];
    if (value === undefined) throw new UsageError(`--${match[1]} needs a value.`);
    values[match[1]!] = value;
  }
  if (!values.username || !values.name) throw new UsageError('admin create needs --username and --name, like: admin create --username head --name "Ms Head".');
  const { createAdminFromCommandLine } = await import('../server/auth/create-admin');
  return createAdminFromCommandLine({ username: values.username, displayName: values.name, password: values.password }, io);
}

interface TrainArgs {
  file: string;
  /** A built-in set, or the id of a dataset uploaded to a Layerbook server. */
  dataset: BuiltInDatasetId | { uploadedId: string };
  epochs: number;
  batchSize: number;
  backend: (typeof BACKEND_CHOICES)[number];
  saveDir: string | null;
  json: boolean;
}

function parseTrain(args: readonly string[]): TrainArgs {
  const files: string[] = [];
  const values = new Map<string, string>();
  let json = false;
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (arg === '--json') {
      json = true;
      continue;
    }
    const option = /^(--dataset|--epochs|--batch-size|--backend|--save)(?:=(.*))?$/s.exec(arg);
    if (option) {
      const value = option[2] ?? args[++i];
      if (value === undefined) throw new UsageError(`${option[1]} needs a value, like ${option[1]} ${TRAIN_EXAMPLES[option[1]!]}.`);
      values.set(option[1]!, value);
    } else if (arg.startsWith('-') && arg !== '-') throw new UsageError(`Unknown option "${arg}" for train.`);
    else files.push(arg);
  }
  if (files.length !== 1) throw new UsageError(`Give exactly one model FILE to train (got ${files.length}).`);

  const datasetName = values.get('--dataset');
  const datasetChoices = `one of: ${BUILT_IN_DATASET_IDS.join(', ')}, or the id of an uploaded dataset ("datasetId" in an exported notebook)`;
  if (datasetName === undefined) throw new UsageError(`Say which data to train on with --dataset, ${datasetChoices}.`);
  const name = datasetName.trim().toLowerCase();
  const dataset = UUID.test(name) ? { uploadedId: name } : name;
  if (typeof dataset === 'string' && !isBuiltInDatasetId(dataset)) throw new UsageError(`There is no dataset called "${datasetName}". Use ${datasetChoices}.`);

  const epochsText = values.get('--epochs');
  if (epochsText === undefined) throw new UsageError('Say how many times to go through the data with --epochs, like --epochs 10.');
  const epochs = wholeNumberIn(epochsText, '--epochs', trainingSpecSchema.shape.epochs);
  const batchSizeText = values.get('--batch-size');
  const batchSize = batchSizeText === undefined ? DEFAULT_TRAINING.batchSize : wholeNumberIn(batchSizeText, '--batch-size', trainingSpecSchema.shape.batchSize);

  const backend = (values.get('--backend') ?? process.env.LAYERBOOK_BACKEND ?? 'auto').trim().toLowerCase();
  if (!(BACKEND_CHOICES as readonly string[]).includes(backend)) {
    throw new UsageError(`There is no training backend called "${values.get('--backend') ?? backend}". Use --backend ${BACKENDS}.`);
  }
  return { file: files[0]!, dataset, epochs, batchSize, backend: backend as TrainArgs['backend'], saveDir: values.get('--save') ?? null, json };
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

export function uploadedNeedsDatabaseMessage(id: string): string {
  return (
    "An uploaded dataset lives in the school server's database, so training on it needs that database's address. " +
    'Set DATABASE_URL to the same postgres:// address the web server uses, for example:\n' +
    `  DATABASE_URL=postgres://layerbook:secret@school-server:5432/layerbook npx layerbook train model.json --dataset ${id} --epochs 5`
  );
}

const TRAIN_EXAMPLES: Record<string, string> = { '--dataset': 'iris', '--epochs': '10', '--batch-size': '32', '--backend': 'auto', '--save': 'my-model' };

/** The training settings' own range (the one the notebook enforces), so both refuse the same numbers. */
function wholeNumberIn(text: string, option: string, schema: { minValue: number | null; maxValue: number | null }): number {
  const value = Number(text);
  const min = schema.minValue ?? 1;
  const max = schema.maxValue ?? Number.MAX_SAFE_INTEGER;
  if (text.trim() === '' || !Number.isInteger(value) || value < min || value > max) {
    throw new UsageError(`${option} needs a whole number from ${min} to ${max}, like ${option} ${TRAIN_EXAMPLES[option]}; got "${text}".`);
  }
  return value;
}

/**
 * Checks everything the server checks before queueing a run (the parameter and memory
 * limits, whether the model fits the data) and only then loads TF.js and trains.
 */
async function train(args: TrainArgs, io: Io): Promise<number> {
  let maxParams: number;
  try {
    const { loadEnv } = await import('../server/env');
    maxParams = loadEnv({ LAYERBOOK_MAX_PARAMS: process.env.LAYERBOOK_MAX_PARAMS }).LAYERBOOK_MAX_PARAMS;
  } catch (error) {
    io.stderr.write(`error: ${(error as Error).message}\n`);
    return BAD_INPUT;
  }
  const databaseUrl = process.env.DATABASE_URL?.trim();
  if (typeof args.dataset !== 'string' && !databaseUrl) {
    io.stderr.write(`layerbook: ${uploadedNeedsDatabaseMessage(args.dataset.uploadedId)}\n`);
    return USAGE;
  }
  const result = load(args.file, io, { maxParams, batchSize: args.batchSize });
  if (!result) return BAD_INPUT;
  const { compiled } = result;

  // Loaded only for an uploaded dataset: it brings the database driver.
  const uploaded = typeof args.dataset === 'string' ? null : await (await import('./uploaded-dataset')).openUploadedDataset(databaseUrl!, args.dataset.uploadedId);
  if (uploaded && 'problem' in uploaded) {
    io.stderr.write(`error: ${uploaded.problem}\n`);
    return BAD_INPUT;
  }
  try {
    const shapeInfo = uploaded ? uploadedInfo(uploaded.ref) : BUILT_IN_DATASETS[args.dataset as BuiltInDatasetId];
    const diagnostics = [...result.diagnostics, ...datasetFitDiagnostics(compiled, shapeInfo)];
    printDiagnostics(diagnostics, io);
    if (!compiled.spec || hasErrors(diagnostics)) {
      io.stderr.write('Not trained: fix the problems above first.\n');
      return BAD_INPUT;
    }
    const { trainOnCommandLine } = await import('./train');
    return await trainOnCommandLine(
      {
        spec: compiled.spec,
        dataset: uploaded ?? (args.dataset as BuiltInDatasetId),
        // For an uploaded dataset the job's own dataset decides; the setting keeps its default.
        training: { ...DEFAULT_TRAINING, ...(uploaded ? {} : { dataset: args.dataset as BuiltInDatasetId }), epochs: args.epochs, batchSize: args.batchSize },
        backend: args.backend,
        maxParams,
        saveDir: args.saveDir,
        json: args.json,
      },
      io,
    );
  } finally {
    await uploaded?.close();
  }
}

interface Parsed {
  files: string[];
  json: boolean;
  lang: string | null;
}

/** Options each command accepts: `json: false` = --json allowed, `lang: true` = --lang required. */
function parse(args: readonly string[], accepts: { json?: false; lang?: true }, fileCount: number): Parsed {
  const parsed: Parsed = { files: [], json: false, lang: null };
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (arg === '--json' && accepts.json === false) parsed.json = true;
    else if ((arg === '--lang' || arg.startsWith('--lang=')) && accepts.lang) {
      const value = arg === '--lang' ? args[++i] : arg.slice('--lang='.length);
      if (value === undefined) throw new UsageError(`--lang needs a language: ${LANG_IDS}.`);
      parsed.lang = value;
    } else if (arg.startsWith('-') && arg !== '-') throw new UsageError(`Unknown option "${arg}".`);
    else parsed.files.push(arg);
  }
  if (parsed.files.length !== fileCount) {
    throw new UsageError(fileCount === 0 ? `This command takes no file, but got "${parsed.files[0]}".` : `Give exactly one FILE (got ${parsed.files.length}).`);
  }
  if (accepts.lang && parsed.lang === null) throw new UsageError(`Say which language with --lang ${LANG_IDS}.`);
  if (parsed.lang !== null && !getCodeLanguage(parsed.lang)) throw new UsageError(`Unknown language "${parsed.lang}"; use one of ${LANG_IDS}.`);
  return parsed;
}

/** Reads and compiles FILE; prints the problems and returns null when there is no model to show. */
function load(file: string, io: Io, limits: Omit<CompileOptions, 'rootBlockId'> = {}): { compiled: CompileResult; diagnostics: Diagnostic[] } | null {
  const text = readInput(file, io);
  if (text === null) return null;
  const loaded = readModelText(text, { maxParams: limits.maxParams });
  if (!loaded.spec) {
    printDiagnostics(loaded.diagnostics, io);
    return null;
  }
  const compiled = compileSpec(loaded.spec, limits);
  return { compiled, diagnostics: [...loaded.diagnostics, ...compiled.diagnostics] };
}

function readInput(file: string, io: Io): string | null {
  try {
    if (file === '-') return readFileSync(0, 'utf8');
    const size = statSync(file).size;
    if (size > MAX_MODEL_FILE_BYTES) {
      io.stderr.write(`error: ${file} is ${(size / 1e6).toFixed(1)} MB; a model file is at most ${MAX_MODEL_FILE_BYTES / 1e6} MB. Check that you picked the model JSON.\n`);
      return null;
    }
    return readFileSync(file, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'there is no such file' : code === 'EISDIR' ? 'it is a folder, not a file' : (error as Error).message;
    io.stderr.write(`error: can't read ${file}: ${why}.\n`);
    return null;
  }
}

function inspect(args: Parsed, io: Io): number {
  const result = load(args.files[0]!, io);
  if (!result) return BAD_INPUT;
  const { compiled, diagnostics } = result;
  const failed = diagnostics.some((d) => d.severity === 'error');
  const rows = compiled.layers.map((l) => ({
    name: l.id,
    className: getLayer(l.type)?.kerasClass ?? l.type,
    outputShape: l.outputShape,
    params: l.params,
  }));
  if (args.json) {
    const outputs = (compiled.spec?.outputs ?? []).map((id) => compiled.layers.find((l) => l.id === id)?.outputShape ?? null);
    io.stdout.write(
      JSON.stringify({
        totalParams: compiled.totalParams,
        // Everything Layerbook builds is trainable; BatchNormalization's running statistics are not.
        trainableParams: trainableParams(compiled),
        outputShape: outputs.length === 1 ? outputs[0] : outputs,
        layers: rows,
        diagnostics,
      }) + '\n',
    );
  } else {
    const table = [['Layer', 'Class', 'Output shape', 'Params'], ...rows.map((r) => [r.name, r.className, shapeText(r.outputShape), r.params.toLocaleString('en-US')])];
    const widths = table[0]!.map((_, c) => Math.max(...table.map((row) => row[c]!.length)));
    const line = (row: string[]) => row.map((cell, c) => (c === 3 ? cell.padStart(widths[c]!) : cell.padEnd(widths[c]!))).join('  ').trimEnd();
    const rule = '-'.repeat(line(table[0]!).length);
    io.stdout.write([line(table[0]!), rule, ...table.slice(1).map(line), rule].join('\n') + '\n');
    io.stdout.write(`Total params: ${compiled.totalParams.toLocaleString('en-US')}\nTrainable params: ${trainableParams(compiled).toLocaleString('en-US')}\n`);
  }
  printDiagnostics(diagnostics, io);
  return failed ? BAD_INPUT : OK;
}

function trainableParams(compiled: CompileResult): number {
  let frozen = 0;
  for (const layer of compiled.layers) {
    if (layer.type !== 'batchNormalization' || layer.outputShape === null) continue;
    // Two of each channel's numbers (moving mean and variance) are statistics, not trained.
    frozen += 2 * (layer.outputShape[layer.outputShape.length - 1] ?? 0);
  }
  return compiled.totalParams - frozen;
}

function code(args: Parsed, io: Io): number {
  const result = load(args.files[0]!, io);
  if (!result) return BAD_INPUT;
  const { compiled, diagnostics } = result;
  if (!compiled.spec) {
    printDiagnostics(diagnostics, io);
    io.stderr.write("No code printed: this model has problems, and code for it wouldn't run.\n");
    return BAD_INPUT;
  }
  io.stdout.write(getCodeLanguage(args.lang!)!.emit(compiled.spec));
  printDiagnostics(diagnostics, io);
  return OK;
}

function layers(args: Parsed, io: Io): number {
  const listing = LAYERS.map((layer) => ({
    key: layer.key,
    className: layer.kerasClass,
    tfjsFactory: layer.tfjsFactory,
    category: layer.category,
    doc: layer.doc,
    args: layer.args.map((arg) => ({
      name: arg.name,
      kerasName: kerasArgName(layer.kerasClass, arg.name),
      type: arg.type,
      // Enum defaults in Keras's words, like the options beside them.
      default: arg.type === 'enum' ? (arg.options.find((o) => o.value === arg.default)?.keras ?? arg.default) : arg.default,
      ...('min' in arg && arg.min !== undefined ? { min: arg.min } : {}),
      ...('max' in arg && arg.max !== undefined ? { max: arg.max } : {}),
      ...(arg.type === 'enum' ? { options: arg.options.map((o) => ({ value: o.value, keras: o.keras })) } : {}),
      doc: arg.doc,
    })),
  }));
  if (args.json) {
    io.stdout.write(JSON.stringify({ layers: listing }) + '\n');
    return OK;
  }
  const out: string[] = [];
  for (const layer of listing) {
    out.push(`${layer.className}  (${layer.tfjsFactory ? `tf.layers.${layer.tfjsFactory}` : 'tf.input'}) — ${layer.doc}`);
    for (const arg of layer.args) {
      const options = arg.options ? ` one of ${arg.options.map((o) => o.keras).join(', ')}` : '';
      out.push(`    ${arg.kerasName} (${arg.name}): ${arg.type}, default ${JSON.stringify(arg.default)}${options} — ${arg.doc}`);
    }
  }
  io.stdout.write(out.join('\n') + '\n');
  return OK;
}

function shapeText(shape: readonly (number | null)[] | null): string {
  return shape === null ? '?' : `(${shape.map((d) => (d === null ? 'None' : String(d))).join(', ')}${shape.length === 1 ? ',' : ''})`;
}

function printDiagnostics(diagnostics: readonly Diagnostic[], io: Io): void {
  for (const d of diagnostics) {
    const where = d.blockId ? ` [${d.blockId}]` : '';
    io.stderr.write(`${d.severity}${where}: ${d.message} ${d.fix}\n`);
  }
}
