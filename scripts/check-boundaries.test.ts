import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';

/** Runs the boundary checker on a small tree of files, as `npm test` runs it on the project. */
function check(files: Record<string, string>): { status: number | null; output: string } {
  const root = mkdtempSync(path.join(tmpdir(), 'layerbook-boundaries-test-'));
  roots.push(root);
  for (const [file, text] of Object.entries(files)) {
    mkdirSync(path.join(root, path.dirname(file)), { recursive: true });
    writeFileSync(path.join(root, file), text);
  }
  const run = spawnSync(process.execPath, [path.join(__dirname, 'check-boundaries.mjs'), root], { encoding: 'utf8' });
  return { status: run.status, output: run.stdout + run.stderr };
}
const roots: string[] = [];
afterEach(() => {
  for (const root of roots.splice(0)) rmSync(root, { recursive: true, force: true });
});

describe('the import boundary check', () => {
  it('passes a tree whose arrows all point down', () => {
    const result = check({
      'blocks/format/spec.ts': 'export interface Spec { name: string }\n',
      'server/services/run.ts': "import type { Spec } from '../../blocks/format/spec';\nexport const run = (spec: Spec) => spec.name;\n",
      'app/page.tsx': "import type { Spec } from '../blocks/format/spec';\nimport type { run } from '../server/services/run';\nexport type Page = [Spec, typeof run];\n",
    });
    expect(result.output).toContain('Import boundaries hold');
    expect(result.status).toBe(0);
  });

  it('fails on Blockly or TF.js in blocks/, naming the file and the rule', () => {
    const result = check({
      'blocks/compile.ts': "import * as Blockly from 'blockly';\nexport const b = Blockly;\n",
      'blocks/blockly/editor.ts': "import * as Blockly from 'blockly';\nexport const b = Blockly;\n",
    });
    expect(result.status).toBe(1);
    expect(result.output).toContain('blocks-stay-portable: blocks/compile.ts → node_modules/blockly');
    expect(result.output).not.toContain('blocks/blockly/editor.ts');
  });

  it('lets app/ take types from server/ but not code', () => {
    const result = check({
      'server/services/run.ts': 'export interface Run { id: string }\nexport const startRun = () => 1;\n',
      'app/types.ts': "import type { Run } from '../server/services/run';\nexport type R = Run;\n",
      'app/start.ts': "import { startRun } from '../server/services/run';\nexport const s = startRun;\n",
    });
    expect(result.status).toBe(1);
    expect(result.output).toContain('app-reaches-server-over-the-api: app/start.ts → server/services/run.ts');
    expect(result.output).not.toContain('app/types.ts');
  });

  it('lets app/ load TF.js with import() only, never in a page\'s first load', () => {
    const result = check({
      'app/training/lazy.ts': "export const load = () => import('@tensorflow/tfjs');\n",
      'app/training/types.ts': "import type { Tensor } from '@tensorflow/tfjs';\nexport type T = Tensor;\n",
      'app/training/eager.ts': "import * as tf from '@tensorflow/tfjs';\nexport const t = tf;\n",
    });
    expect(result.status).toBe(1);
    expect(result.output).toContain('app-without-tfjs: app/training/eager.ts → node_modules/@tensorflow/tfjs');
    expect(result.output).not.toContain('app/training/lazy.ts');
    expect(result.output).not.toContain('app/training/types.ts');
  });

  it('fails on an upward import from db/, even of a type', () => {
    const result = check({
      'server/training/protocol.ts': 'export type RunStatus = string;\n',
      'db/schema.ts': "import type { RunStatus } from '../server/training/protocol';\nexport type S = RunStatus;\n",
    });
    expect(result.status).toBe(1);
    expect(result.output).toContain('db-below-server: db/schema.ts → server/training/protocol.ts');
  });

  it('fails on blocks/ folders that import each other, even through different files', () => {
    const result = check({
      'blocks/catalog/layers.ts': "import type { Spec } from '../format/spec';\nexport type Layer = Spec;\n",
      'blocks/format/spec.ts': 'export interface Spec { name: string }\n',
      'blocks/format/names.ts': "import { LAYER_NAMES } from '../catalog/names';\nexport const names = LAYER_NAMES;\n",
      'blocks/catalog/names.ts': "export const LAYER_NAMES = ['dense'];\n",
    });
    expect(result.status).toBe(1);
    expect(result.output).toContain('no-folder-circles: blocks/catalog ⇄ blocks/format');
  });

  it('fails on server/ or app/ folders that import each other, naming the folders and an import each way', () => {
    const result = check({
      'server/training/runner.ts': "import { MemoryJobQueue } from '../queue/job-queue';\nexport const q = MemoryJobQueue;\n",
      'server/queue/job-queue.ts': 'export class MemoryJobQueue {}\n',
      'server/queue/setup.ts': "import type { q } from '../training/runner';\nexport type Q = typeof q;\n",
      'app/notebook/autosave.ts': 'export type SaveState = string;\n',
      'app/notebook/Editor.tsx': "import { Cell } from '../training/Cell';\nexport const Editor = Cell;\n",
      'app/training/Cell.tsx': "import type { SaveState } from '../notebook/autosave';\nexport const Cell = (state: SaveState) => state;\n",
    });
    expect(result.status).toBe(1);
    expect(result.output).toContain('no-folder-circles: server/queue ⇄ server/training');
    expect(result.output).toContain('server/training/runner.ts → server/queue/job-queue.ts');
    expect(result.output).toContain('no-folder-circles: app/notebook ⇄ app/training');
  });

  it('fails on modules that import each other, type imports included', () => {
    const result = check({
      'bin/cli.ts': "import { train } from './train';\nexport interface Io { write(text: string): void }\nexport const main = train;\n",
      'bin/train.ts': "import type { Io } from './cli';\nexport const train = (io: Io) => io.write('x');\n",
    });
    expect(result.status).toBe(1);
    expect(result.output).toMatch(/no-circular: bin\/(cli|train)\.ts → bin\/(train|cli)\.ts → bin\/(cli|train)\.ts/);
  });
});
