import { describe, expect, it } from 'vitest';
import { newDataCell, newMarkdownCell, newModelCell } from '../../blocks/spec/notebook';
import { DEFAULT_TRAINING, trainingSpecSchema } from '../../blocks/spec/model-spec';
import { builtInSource } from '../../blocks/spec/datasets';
import {
  datasetChoices, datasetContextKey, datasetRefToValue, describeSource, lossAfterDatasetChange, lossChoices, modelDatasetContexts, parseSetting,
  settingText, valueToDatasetRef,
} from './settings';

describe('parseSetting', () => {
  it('accepts values inside the limits the server enforces', () => {
    expect(parseSetting('learningRate', '0.01')).toEqual({ ok: true, value: 0.01 });
    expect(parseSetting('batchSize', ' 128 ')).toEqual({ ok: true, value: 128 });
    expect(parseSetting('epochs', '100')).toEqual({ ok: true, value: 100 });
  });

  it('asks for a value when the box is empty', () => {
    expect(parseSetting('epochs', '')).toEqual({ ok: false, message: 'Type the number of epochs, for example 3.' });
  });

  it('says what is wrong with text that is not a number', () => {
    expect(parseSetting('learningRate', 'fast')).toEqual({
      ok: false,
      message: '“fast” is not a number. Type a learning rate, for example 0.001.',
    });
  });

  it('gives the allowed range for whole-number settings', () => {
    expect(parseSetting('epochs', '0')).toEqual({ ok: false, message: 'Epochs must be a whole number from 1 to 100.' });
    expect(parseSetting('epochs', '2.5')).toEqual({ ok: false, message: 'Epochs must be a whole number from 1 to 100.' });
    expect(parseSetting('batchSize', '5000')).toEqual({ ok: false, message: 'Batch size must be a whole number from 1 to 4096.' });
  });

  it('rejects a learning rate of zero or above the maximum', () => {
    for (const text of ['0', '-1', '11']) {
      const parsed = parseSetting('learningRate', text);
      expect(parsed.ok).toBe(false);
      if (!parsed.ok) expect(parsed.message).toBe('Learning rate must be more than 0 and at most 10. Small values such as 0.001 work best.');
    }
  });
});

describe('dataset choices', () => {
  const cells = [newDataCell('d1', 'spiral'), newMarkdownCell('t'), newModelCell('m'), newDataCell('d2', 'iris')];

  it('lists every built-in set, then the data cells above the model, numbered as on the page', () => {
    const choices = datasetChoices(cells, 'm', 'mnist');
    expect(choices.map((c) => c.value)).toEqual(['mnist', 'iris', 'circle', 'xor', 'gaussian', 'spiral', 'cell:d1']);
    expect(choices[0]!.label).toBe('MNIST handwritten digits');
    expect(choices.at(-1)!.label).toBe('Data cell 1: Spiral, 500 points, noise 0.1, seed 1');
  });

  it('keeps showing a stored reference to a data cell that is no longer above, instead of switching silently', () => {
    const choices = datasetChoices(cells, 'm', { cell: 'd2' });
    expect(choices.at(-1)).toEqual({ value: 'cell:d2', label: 'A data cell that is not above this model' });
  });

  it('turns combobox values back into settings, refusing anything else', () => {
    for (const ref of ['iris', { cell: 'd1' }] as const) expect(valueToDatasetRef(datasetRefToValue(ref))).toEqual(ref);
    expect(valueToDatasetRef('cifar')).toBeNull();
    expect(valueToDatasetRef('cell:')).toBeNull();
  });

  it('describes built-in sets without settings by name', () => {
    expect(describeSource({ kind: 'builtIn', id: 'iris' })).toBe('Iris flowers');
  });

  it("gives each model cell its choices and what its setting means, and a key that ignores other edits", () => {
    const contexts = modelDatasetContexts(cells);
    expect([...contexts.keys()]).toEqual(['m']);
    expect(contexts.get('m')!.resolved).toEqual({ ok: true, source: { kind: 'builtIn', id: 'mnist' } });
    const retitled = [cells[0]!, newMarkdownCell('t', 'changed'), cells[2]!, cells[3]!];
    expect(datasetContextKey(retitled)).toBe(datasetContextKey(cells));
    expect(datasetContextKey([newDataCell('d1', 'xor'), ...cells.slice(1)])).not.toBe(datasetContextKey(cells));
  });
});

describe('the newer settings: loss, early stopping, random seed', () => {
  const mnist = { ok: true as const, source: builtInSource('mnist') };
  const circle = { ok: true as const, source: builtInSource('circle') };

  it('offers binary crossentropy only for a two-class dataset', () => {
    expect(lossChoices(circle)).toContain('binaryCrossentropy');
    expect(lossChoices(mnist)).not.toContain('binaryCrossentropy');
    expect(lossChoices(mnist)).toContain('categoricalCrossentropy');
  });

  it("switches a loss that does not fit the new dataset to that dataset's default, and keeps one that fits", () => {
    expect(lossAfterDatasetChange('binaryCrossentropy', mnist)).toBe('categoricalCrossentropy');
    expect(lossAfterDatasetChange('binaryCrossentropy', circle)).toBe('binaryCrossentropy');
    expect(lossAfterDatasetChange('meanSquaredError', mnist)).toBe('meanSquaredError');
    expect(lossAfterDatasetChange('binaryCrossentropy', { ok: false, message: 'deleted' })).toBe('binaryCrossentropy');
  });

  it('checks patience and the random seed against the stored limits', () => {
    expect(parseSetting('patience', '3')).toEqual({ ok: true, value: 3 });
    expect(parseSetting('patience', '0')).toEqual({ ok: false, message: 'Patience must be a whole number from 1 to 100.' });
    expect(parseSetting('seed', '7')).toEqual({ ok: true, value: 7 });
    expect(parseSetting('seed', '-1')).toEqual({ ok: false, message: 'Random seed must be a whole number from 0 to 2147483647.' });
    expect(parseSetting('seed', '')).toEqual({ ok: false, message: 'Type a random seed, for example 42.' });
  });

  it('reads settings stored before early stopping existed, showing the default patience', () => {
    const stored = { dataset: 'mnist', optimizer: 'adam', learningRate: 0.003, batchSize: 32, epochs: 4, loss: 'categoricalCrossentropy', seed: 42 };
    const parsed = trainingSpecSchema.parse(stored);
    expect(parsed.earlyStopping).toBeUndefined();
    expect(settingText(parsed, 'patience')).toBe('2');
    expect(settingText({ ...DEFAULT_TRAINING, patience: 5 }, 'patience')).toBe('5');
    expect(trainingSpecSchema.safeParse({ ...stored, earlyStopping: true, patience: 0 }).success).toBe(false);
  });
});
