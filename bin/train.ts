/**
 * The training half of `layerbook train`: loaded only once the model has passed every check,
 * because it brings TF.js with it. It runs the very trainer the server's workers run, so a
 * model trains the same here as in the notebook.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { ConfusionMatrix } from '../blocks/format/confusion-matrix';
import { mistakeSentences } from '../blocks/format/confusion-words';
import { BUILT_IN_DATASETS } from '../blocks/format/datasets';
import type { ModelSpec, TrainingSpec } from '../blocks/format/model-spec';
import { selectBackend, type BackendPreference } from '../server/training/backend';
import { buildModel } from '../server/training/build-model';
import { WEIGHTS_FILE_NAME, tfjsModelJson } from '../server/training/model-files';
import type { ReadChunk } from '../server/data/stored';
import type { JobDataset } from '../server/data/job-dataset';
import type { RunEvent } from '../server/training/protocol';
import { TrainingCancelled, TrainingInputError, train } from '../server/training/trainer';
import type { Io } from './io';

export interface CommandLineTraining {
  spec: ModelSpec;
  /** What to train on, as a server's job carries it: a built-in set, or an upload read from the database. */
  dataset: JobDataset;
  /** Where an upload's chunks come from; needed for one. */
  readChunk?: ReadChunk;
  training: TrainingSpec;
  backend: BackendPreference;
  maxParams: number;
  /** Folder to write the trained model to (TF.js model.json + weights.bin); null to keep nothing. */
  saveDir: string | null;
  json: boolean;
}

/** What `--json` prints: one object, so scripts can read it with a single JSON.parse. */
export interface TrainingReport {
  backend: string;
  samplesPerSec: number;
  epochs: Array<{ loss: number; accuracy: number; seconds: number }>;
  /**
   * confusionMatrix: the test split by true and predicted class, as a run in the app keeps it
   * (runs.confusion_matrix); null where the app shows none (no classes, or more than 50).
   */
  test: { accuracy: number; confusionMatrix: ConfusionMatrix | null };
}

/** A batch line at most this often: an iris run prints only its epochs, an MNIST epoch shows it is alive. */
const BATCH_LINE_INTERVAL_MS = 2_000;
const INTERRUPTED = 130;

export async function trainOnCommandLine(options: CommandLineTraining, io: Io): Promise<number> {
  // stdout carries only the result; whatever TF.js or a library logs goes with the progress.
  const restoreConsole = logToStderr(io);
  const controller = new AbortController();
  const stop = () => controller.abort();
  process.once('SIGINT', stop);
  try {
    // Made before training, so a folder that can't be written fails in a second, not after the run.
    if (options.saveDir !== null) {
      try {
        mkdirSync(options.saveDir, { recursive: true });
      } catch (error) {
        io.stderr.write(`error: can't save the model in ${options.saveDir}: ${(error as Error).message}\n`);
        return 1;
      }
    }
    let backend: Awaited<ReturnType<typeof selectBackend>>;
    try {
      backend = await selectBackend(options.backend);
    } catch (error) {
      // selectBackend speaks to a server operator; here the switch is an option.
      io.stderr.write(`error: ${(error as Error).message.replace('Set LAYERBOOK_BACKEND=auto', 'Use --backend auto')}\n`);
      return 1;
    }
    const { training } = options;
    const { dataset } = options;
    const job = { runId: 'command-line', spec: options.spec, training, dataset };
    const datasetName = dataset.kind === 'stored' ? `"${dataset.name}"` : BUILT_IN_DATASETS[dataset.id].name;
    io.stderr.write(
      `Training on ${datasetName} with the ${backend.name} backend: ${plural(training.epochs, 'epoch')}, batches of ${training.batchSize}.\n`,
    );
    const result = await train(job, {
      tf: backend.tf,
      ...(options.readChunk ? { readChunk: options.readChunk } : {}),
      build: (tf, spec) => buildModel(tf, spec, { maxParams: options.maxParams }),
      signal: controller.signal,
      batchEventIntervalMs: BATCH_LINE_INTERVAL_MS,
      onEvent: (event) => {
        const line = progressLine(event);
        if (line) io.stderr.write(line + '\n');
      },
    });
    if (options.saveDir !== null) {
      const modelFile = path.join(options.saveDir, 'model.json');
      writeFileSync(modelFile, tfjsModelJson(result.weights));
      writeFileSync(path.join(options.saveDir, WEIGHTS_FILE_NAME), result.weights.weightData);
      io.stderr.write(`Saved the trained model as ${modelFile} (with ${WEIGHTS_FILE_NAME} beside it).\n`);
    }
    const report: TrainingReport = {
      backend: backend.name,
      samplesPerSec: result.samplesPerSec,
      epochs: result.epochs.map(({ loss, accuracy, seconds }) => ({ loss, accuracy, seconds })),
      test: { accuracy: result.testAccuracy, confusionMatrix: result.confusionMatrix },
    };
    io.stdout.write(
      options.json
        ? JSON.stringify(report) + '\n'
        : `Test accuracy: ${percent(result.testAccuracy)} (test loss ${result.testLoss.toFixed(4)}), ` +
            `${Math.round(result.samplesPerSec).toLocaleString('en-US')} samples/s on ${backend.name}.\n` +
            (result.confusionMatrix ? confusionLines(result.confusionMatrix).join('\n') + '\n' : ''),
    );
    return 0;
  } catch (error) {
    if (error instanceof TrainingCancelled) {
      io.stderr.write('Stopped: training was interrupted.\n');
      return INTERRUPTED;
    }
    if (error instanceof TrainingInputError) {
      io.stderr.write(`error: ${error.message}\n`);
      return 1;
    }
    io.stderr.write(`error: training stopped because of an error in the trainer: ${error instanceof Error ? error.message : String(error)}\n`);
    return 1;
  } finally {
    process.off('SIGINT', stop);
    restoreConsole();
  }
}

function progressLine(event: RunEvent): string | null {
  switch (event.type) {
    case 'note':
      return event.text;
    case 'epoch': {
      const validation =
        event.valLoss === null || event.valAccuracy === null ? '' : `, val loss ${event.valLoss.toFixed(4)}, val accuracy ${percent(event.valAccuracy)}`;
      return `Epoch ${event.epoch}: loss ${event.loss.toFixed(4)}, accuracy ${percent(event.accuracy)}${validation} (${event.seconds.toFixed(event.seconds < 10 ? 2 : 1)} s)`;
    }
    case 'batch':
      // The last batch of an epoch always reports; its epoch line follows at once.
      if (event.batch === event.batchesPerEpoch) return null;
      return (
        `  epoch ${event.epoch}/${event.epochs}, batch ${event.batch}/${event.batchesPerEpoch}: loss ${event.loss.toFixed(4)}, ` +
        `${Math.round(event.samplesPerSec).toLocaleString('en-US')} samples/s` +
        (event.etaSeconds === null ? '' : `, about ${Math.ceil(event.etaSeconds)} s left`)
      );
    default:
      return null;
  }
}

/** Above this many classes the table is wider than a terminal; the sentences still say the main mistakes. */
const MAX_TABLE_CLASSES = 10;

/** The confusion matrix as a terminal reads it: a small table (rows true, columns answered), then the app's sentences. */
function confusionLines(matrix: ConfusionMatrix): string[] {
  const sentences = mistakeSentences(matrix);
  if (matrix.classes.length > MAX_TABLE_CLASSES) return sentences;
  const header = ['true \\ answered', ...matrix.classes];
  const rows = matrix.counts.map((row, actual) => [matrix.classes[actual]!, ...row.map((count) => count.toLocaleString('en-US'))]);
  const widths = header.map((_, column) => Math.max(...[header, ...rows].map((cells) => cells[column]!.length)));
  // Class names left-aligned, counts right-aligned under their class.
  const line = (cells: string[]) => cells.map((cell, column) => (column === 0 ? cell.padEnd(widths[column]!) : cell.padStart(widths[column]!))).join('  ').trimEnd();
  return ['Confusion matrix on the test split:', ...[header, ...rows].map((cells) => '  ' + line(cells)), ...sentences];
}

function logToStderr(io: Io): () => void {
  const saved = { log: console.log, info: console.info, debug: console.debug };
  const toStderr = (...parts: unknown[]) => void io.stderr.write(parts.map(String).join(' ') + '\n');
  Object.assign(console, { log: toStderr, info: toStderr, debug: toStderr });
  return () => Object.assign(console, saved);
}

function percent(fraction: number): string {
  return `${(fraction * 100).toFixed(1)}%`;
}

function plural(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? '' : 's'}`;
}
