import { describe, expect, it } from 'vitest';
import { compileCell } from '../compile';
import type { TrainingSpec } from '../format/model-spec';
import { modelWorkspace, type TemplateLayer } from '../templates/build';
import { adviseTraining, lossFitProblems } from './advice';

function advise(lastLayer: TemplateLayer, loss: TrainingSpec['loss'], classCount?: number) {
  const compiled = compileCell(
    modelWorkspace('m', 'M', [{ key: 'input', args: { shape: [28, 28, 1] } }, { key: 'flatten' }, { key: 'dense', args: { units: 32, activation: 'relu' } }, lastLayer]),
  );
  expect(compiled.spec, 'the model itself must compile').not.toBeNull();
  const advice = adviseTraining(compiled.spec!, compiled.layers, { loss }, { classCount, lossBlockId: 'loss-block' });
  return [...advice.model, ...advice.training];
}
const codes = (advice: ReturnType<typeof advise>) => advice.map((d) => d.code);

describe('adviseTraining: runs but learns badly', () => {
  it('says nothing about a well-set-up MNIST classifier', () => {
    expect(advise({ key: 'dense', args: { units: 10, activation: 'softmax' } }, 'categoricalCrossentropy', 10)).toEqual([]);
  });

  it('warns about softmax with binary crossentropy, on the last block, without blocking training', () => {
    const advice = advise({ key: 'dense', args: { units: 1, activation: 'softmax' } }, 'binaryCrossentropy', 2);
    expect(advice).toEqual([
      expect.objectContaining({ code: 'softmax-with-binary-loss', severity: 'warning', blockId: 'm-4-dense', fix: expect.stringMatching(/sigmoid/) }),
    ]);
  });

  it('warns when the output has no activation but the loss is a classification loss', () => {
    const advice = advise({ key: 'dense', args: { units: 10 } }, 'categoricalCrossentropy', 10);
    expect(advice).toEqual([expect.objectContaining({ code: 'no-output-activation', severity: 'warning', fix: expect.stringMatching(/softmax/) })]);
    // A separate Softmax block after the Dense block counts as the output activation.
    expect(advise({ key: 'softmax' }, 'categoricalCrossentropy')).toEqual([]);
  });

  it('warns when the last layer does not give one number per class', () => {
    const advice = advise({ key: 'dense', args: { units: 8, activation: 'softmax' } }, 'categoricalCrossentropy', 10);
    expect(advice).toEqual([expect.objectContaining({ code: 'output-units-not-classes', fix: 'Set units to 10 on this block.' })]);
    // One sigmoid output is the usual way to answer a two-class (yes/no) question.
    expect(advise({ key: 'dense', args: { units: 1, activation: 'sigmoid' } }, 'binaryCrossentropy', 2)).toEqual([]);
  });

  it('puts advice fixed by another loss on the loss block, and advice fixed in the model on its last block', () => {
    const compiled = compileCell(modelWorkspace('m', 'M', [{ key: 'input', args: { shape: [4] } }, { key: 'dense', args: { units: 3, activation: 'softmax' } }]));
    const onLoss = adviseTraining(compiled.spec!, compiled.layers, { loss: 'binaryCrossentropy' }, { classCount: 3, lossBlockId: 'loss-block' });
    expect(onLoss.model).toEqual([]);
    expect(onLoss.training).toEqual([expect.objectContaining({ code: 'softmax-with-binary-loss', blockId: 'loss-block', fix: expect.stringMatching(/^Pick categorical crossentropy in this loss block/) })]);
  });

  it('leaves out what it cannot know without the dataset', () => {
    expect(advise({ key: 'dense', args: { units: 7, activation: 'softmax' } }, 'categoricalCrossentropy')).toEqual([]);
    expect(advise({ key: 'dense', args: { units: 7, activation: 'softmax' } }, 'meanSquaredError')).toEqual([]);
  });
});

describe('lossFitProblems', () => {
  const mnist = { classCount: 10, name: 'MNIST', classNoun: 'digits' };
  it('refuses binary crossentropy on more than two classes, on the loss block', () => {
    expect(lossFitProblems('binaryCrossentropy', mnist, 'loss-1')).toEqual([
      {
        blockId: 'loss-1',
        severity: 'error',
        code: 'loss-does-not-fit-labels',
        message: 'Binary crossentropy is for choosing between two digits, but MNIST has 10.',
        fix: 'Pick categorical crossentropy in the loss block.',
      },
    ]);
    expect(lossFitProblems('binaryCrossentropy', { ...mnist, classCount: 2 }, 'loss-1')).toEqual([]);
  });

  it('warns, without blocking, that mean squared error learns classes badly', () => {
    expect(lossFitProblems('meanSquaredError', mnist, null)).toEqual([expect.objectContaining({ severity: 'warning', code: 'loss-does-not-fit-labels' })]);
    expect(lossFitProblems('categoricalCrossentropy', mnist, null)).toEqual([]);
    expect(lossFitProblems('sparseCategoricalCrossentropy', mnist, null)).toEqual([]);
  });
});
