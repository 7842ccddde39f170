import { describe, expect, it } from 'vitest';
import { newDataCell, newMarkdownCell, newModelCell, type Cell } from '../../blocks/format/notebook';
import { newTrainingCell } from '../../blocks/templates/training-cell';
import { modelWorkspace } from '../../blocks/templates';
import {
  contextKey, datasetChoices, datasetRefToValue, describeSource, modelChoices, trainingContexts, valueToDatasetRef,
} from './settings';

describe('dataset choices', () => {
  const cells: Cell[] = [newDataCell('d1', 'spiral'), newMarkdownCell('n'), newModelCell('m'), newTrainingCell('t', 'm'), newDataCell('d2', 'iris')];

  it('lists every built-in set, then the data cells above the training cell, numbered as on the page', () => {
    const choices = datasetChoices(cells, 't', 'mnist');
    expect(choices.map((c) => c.value)).toEqual(['mnist', 'iris', 'circle', 'xor', 'gaussian', 'spiral', 'cell:d1']);
    expect(choices[0]!.label).toBe('MNIST handwritten digits');
    expect(choices.at(-1)!.label).toBe('Data cell 1: Spiral, 500 points, noise 0.1, seed 1');
  });

  it('keeps showing a stored reference to a data cell that is no longer above, instead of switching silently', () => {
    const choices = datasetChoices(cells, 't', { cell: 'd2' });
    expect(choices.at(-1)).toEqual({ value: 'cell:d2', label: 'A data cell that is not above this training cell' });
  });

  it('turns combobox values back into settings, refusing anything else', () => {
    for (const ref of ['iris', { cell: 'd1' }] as const) expect(valueToDatasetRef(datasetRefToValue(ref))).toEqual(ref);
    expect(valueToDatasetRef('cifar')).toBeNull();
    expect(valueToDatasetRef('cell:')).toBeNull();
  });

  it('describes built-in sets without settings by name', () => {
    expect(describeSource({ kind: 'builtIn', id: 'iris' })).toBe('Iris flowers');
  });

  it('gives each training cell its choices and what they mean, and a key that ignores other edits', () => {
    const contexts = trainingContexts(cells);
    expect([...contexts.keys()]).toEqual(['t']);
    expect(contexts.get('t')).toMatchObject({ resolvedDataset: { ok: true, source: { kind: 'builtIn', id: 'mnist' } }, resolvedModel: { ok: true }, modelPosition: 3 });
    const retitled = [cells[0]!, newMarkdownCell('n', 'changed'), ...cells.slice(2)];
    expect(contextKey(retitled)).toBe(contextKey(cells));
    expect(contextKey([newDataCell('d1', 'xor'), ...cells.slice(1)])).not.toBe(contextKey(cells));
    expect(contextKey(cells, new Map([['m', 'Renamed']]))).not.toBe(contextKey(cells));
  });
});

describe('model choices', () => {
  const model = newModelCell('m1', modelWorkspace('m1', 'Digit reader', [{ key: 'input', args: { shape: [4] } }, { key: 'dense', args: { units: 3, activation: 'softmax' } }]));
  const compiled = model;
  const names = new Map([['m1', 'Digit reader'], ['m2', null]]);

  it('lists the model cells above, by position and the name on their model block', () => {
    const cells: Cell[] = [newMarkdownCell('a'), compiled, newModelCell('m2'), newTrainingCell('t', 'm1'), newModelCell('m3')];
    expect(modelChoices(cells, 't', 'm1', names)).toEqual([
      { value: 'm1', label: 'Model cell 2: Digit reader' },
      { value: 'm2', label: 'Model cell 3' },
    ]);
  });

  it('keeps an entry saying what happened to a model that is no longer above, or asks to pick one', () => {
    const cells: Cell[] = [newTrainingCell('t', 'm1'), compiled];
    expect(modelChoices(cells, 't', 'm1')).toEqual([{ value: 'm1', label: 'A model cell that is not above this training cell' }]);
    expect(modelChoices(cells, 't', 'gone')[0]!.label).toBe('A model cell that was deleted');
    expect(modelChoices([compiled, newTrainingCell('t', '')], 't', '')[0]).toEqual({ value: '', label: 'Pick a model' });
  });

});
