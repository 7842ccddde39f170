import { describe, expect, it } from 'vitest';
import { compileNotebook, createNotebookCompiler, DEFAULT_COMPILERS, type Compilers } from './compile-notebook';
import { newDataCell, newMarkdownCell, newModelCell, type Cell, type TrainingCell } from './format/notebook';
import { newTrainingCell, withTrainingSettings } from './templates/training-cell';
import { modelWorkspace } from './templates';

const pointsWorkspace = (name: string) =>
  modelWorkspace(name, name, [
    { key: 'input', args: { shape: [2] } },
    { key: 'dense', args: { units: 8, activation: 'relu' } },
    { key: 'dense', args: { units: 2, activation: 'softmax' } },
  ]) as Record<string, unknown>;

/** The real compilers, counting what they are asked to compile. */
function countingCompilers() {
  const counts = { models: [] as unknown[], trainings: [] as unknown[] };
  const compilers: Compilers = {
    compileModel: (workspace, maxParams) => {
      counts.models.push(workspace);
      return DEFAULT_COMPILERS.compileModel(workspace, maxParams);
    },
    compileTraining: (workspace, context) => {
      counts.trainings.push(workspace);
      return DEFAULT_COMPILERS.compileTraining(workspace, context);
    },
  };
  return { counts, compilers };
}

const notebook = (): Cell[] => [
  newMarkdownCell('intro', '# Points'),
  newDataCell('data', 'xor'),
  newModelCell('m1', pointsWorkspace('first')),
  newTrainingCell('t1', 'm1', { loss: 'categoricalCrossentropy' }, { cell: 'data' }),
  newModelCell('m2', pointsWorkspace('second')),
  newTrainingCell('t2', 'm2', { epochs: 3 }, 'circle'),
];

describe('compileNotebook', () => {
  it('compiles every model and training cell, each training cell against the model and data it names', () => {
    const compiled = compileNotebook(notebook());
    expect([...compiled.models.keys()]).toEqual(['m1', 'm2']);
    expect(compiled.models.get('m1')!.spec?.name).toBe('first');
    const t1 = compiled.trainings.get('t1')!;
    expect(t1.model).toBe(compiled.models.get('m1'));
    expect(t1.data?.info.name).toBe('XOR');
    expect(t1.result.training).toMatchObject({ dataset: { cell: 'data' }, loss: 'categoricalCrossentropy' });
    expect(compiled.trainings.get('t2')!.result.training).toMatchObject({ dataset: 'circle', epochs: 3 });
  });

  it('says why a training cell has nothing to train, without compiling a model for it', () => {
    const cells: Cell[] = [newTrainingCell('t', 'gone'), newModelCell('m', pointsWorkspace('late'))];
    const compiled = compileNotebook(cells).trainings.get('t')!;
    expect(compiled.model).toBeNull();
    expect(compiled.resolvedModel).toEqual({ ok: false, message: expect.stringContaining('no model cell above') });
  });

  it('compiles only the pressed training cell and its model for a Train press: one compile each', () => {
    const { counts, compilers } = countingCompilers();
    const cells = notebook();
    const compiled = compileNotebook(cells, { only: 't2' }, compilers);
    expect([...compiled.trainings.keys()]).toEqual(['t2']);
    expect(counts.models).toEqual([(cells[4] as { workspace: unknown }).workspace]);
    expect(counts.trainings).toHaveLength(1);
  });
});

describe('the browser\'s memoised compiler', () => {
  it('compiles each cell once, then again only the cells an edit changed and those that read them', () => {
    const { counts, compilers } = countingCompilers();
    const compile = createNotebookCompiler(compilers);
    let cells = notebook();
    const first = compile(cells);
    expect(counts.models).toHaveLength(2);
    expect(counts.trainings).toHaveLength(2);

    // Nothing changed (a re-render): nothing is compiled, and the results are the same objects.
    const again = compile([...cells]);
    expect(counts.models).toHaveLength(2);
    expect(counts.trainings).toHaveLength(2);
    expect(again.models.get('m1')).toBe(first.models.get('m1'));
    expect(again.trainings.get('t1')).toBe(first.trainings.get('t1'));

    // A training cell's blocks change: that cell alone.
    cells = cells.map((c) => (c.id === 't2' ? withTrainingSettings(c as TrainingCell, { epochs: 5 }) : c));
    compile(cells);
    expect(counts.models).toHaveLength(2);
    expect(counts.trainings).toHaveLength(3);

    // A model's blocks change: that model, and the training cell that trains it.
    cells = cells.map((c) => (c.id === 'm1' ? newModelCell('m1', pointsWorkspace('renamed')) : c));
    const afterModel = compile(cells);
    expect(counts.models).toHaveLength(3);
    expect(counts.trainings).toHaveLength(4);
    expect(afterModel.models.get('m1')!.spec?.name).toBe('renamed');
    expect(afterModel.models.get('m2')).toBe(first.models.get('m2'));

    // Another dataset picked: that training cell again, no model.
    cells = cells.map((c) => (c.id === 't1' ? { ...(c as TrainingCell), dataset: 'spiral' as const } : c));
    compile(cells);
    expect(counts.models).toHaveLength(3);
    expect(counts.trainings).toHaveLength(5);

    // Markdown typing compiles nothing.
    cells = cells.map((c) => (c.id === 'intro' ? newMarkdownCell('intro', '# Changed') : c));
    compile(cells);
    expect(counts.models).toHaveLength(3);
    expect(counts.trainings).toHaveLength(5);
  });
});

describe('deep blocks', () => {
  it('gives a diagnostic, not a crash, for a model or training cell nested 100,000 levels deep', () => {
    let deep: Record<string, unknown> = { type: 'layer_dense', id: 'bottom' };
    for (let i = 0; i < 100_000; i++) deep = { type: 'layer_dense', id: `b${i}`, inputs: { LAYER: { block: deep } } };
    const workspace = { blocks: { languageVersion: 0, blocks: [deep] } };
    const cells: Cell[] = [newModelCell('m', workspace), { ...newTrainingCell('t', 'm'), workspace }];
    const compiled = compileNotebook(cells);
    expect(compiled.models.get('m')!.diagnostics.map((d) => d.code)).toEqual(['too-deep']);
    expect(compiled.trainings.get('t')!.result.diagnostics.map((d) => d.code)).toEqual(['too-deep']);
  });
});
