import { describe, expect, it } from 'vitest';
import { compileCell } from './compile';
import { compileTrainingCell, type TrainingDataFacts } from './compile-training';
import { BUILT_IN_DATASETS } from './format/datasets';
import { modelWorkspace } from './templates/build';
import { trainBlockWorkspace, trainingWorkspace } from './templates/training';
import { mnistCnnWorkspace } from './templates';

const mnist: TrainingDataFacts = { info: BUILT_IN_DATASETS.mnist, ownValidation: null };
const iris: TrainingDataFacts = { info: BUILT_IN_DATASETS.iris, ownValidation: '15% of its rows' };

describe('compileTrainingCell: code (golden)', () => {
  it('prints the default settings as TF.js, Keras and a PyTorch sketch that continue the model cell\'s `model`', () => {
    const result = compileTrainingCell(trainingWorkspace('t'), { dataset: 'mnist', data: mnist });
    expect(result.diagnostics).toEqual([]);
    expect(result.code.tfjs).toBe(
      [
        '// Trains `model` (from the model cell) on MNIST.',
        '// xs holds the training examples, ys their classes (one-hot).',
        '// Random seed 42: Layerbook makes the starting weights, dropout and shuffling from it (TF.js has no seed setting of its own).',
        'model.compile({',
        '  optimizer: tf.train.adam(0.003),',
        "  loss: 'categoricalCrossentropy',",
        "  metrics: ['accuracy'],",
        '});',
        'await model.fit(xs, ys, {',
        '  epochs: 4,',
        '  batchSize: 32,',
        '  shuffle: true,',
        '  validationData: [xsTest, ysTest], // MNIST has no validation rows: checked on its test rows',
        '});',
        '',
      ].join('\n'),
    );
    expect(result.code.keras).toBe(
      [
        'from tensorflow import keras',
        '',
        '# Trains `model` (from the model cell) on MNIST.',
        '# x holds the training examples, y their classes (one-hot).',
        'keras.utils.set_random_seed(42)',
        'model.compile(',
        '    optimizer=keras.optimizers.Adam(learning_rate=0.003),',
        '    loss="categorical_crossentropy",',
        '    metrics=["accuracy"],',
        ')',
        'model.fit(',
        '    x,',
        '    y,',
        '    epochs=4,',
        '    batch_size=32,',
        '    validation_data=(x_test, y_test),  # MNIST has no validation rows: checked on its test rows',
        ')',
        '',
      ].join('\n'),
    );
    expect(result.code.pytorch).toBe(
      [
        'import torch',
        'from torch import nn',
        '',
        "# A sketch of the same training in PyTorch, on MNIST: `model` is the model cell's nn.Module,",
        '# train_loader gives batches of (examples, class numbers). Validation, metrics and early stopping are left out.',
        'torch.manual_seed(42)',
        'optimizer = torch.optim.Adam(model.parameters(), lr=0.003)',
        'loss_fn = nn.NLLLoss()  # the model ends in softmax, so the loss gets log-probabilities',
        'for epoch in range(4):',
        '    for xb, yb in train_loader:  # DataLoader(train_data, batch_size=32, shuffle=True)',
        '        optimizer.zero_grad()',
        '        loss = loss_fn(torch.log(model(xb)), yb)',
        '        loss.backward()',
        '        optimizer.step()',
        '',
      ].join('\n'),
    );
  });

  it('prints momentum, extra metrics, a validation split and early stopping as TF.js and Keras spell them', () => {
    const workspace = trainingWorkspace('t', {
      optimizer: 'momentum',
      learningRate: 0.02,
      metrics: ['precision', 'meanAbsoluteError'],
      validationSplit: 0.2,
      earlyStopping: true,
      patience: 3,
      epochs: 10,
    });
    const { code } = compileTrainingCell(workspace, { dataset: 'mnist', data: mnist });
    expect(code.tfjs).toContain(
      [
        "// TF.js's precision and recall only count outputs of exactly 1; rounding first counts above 0.5 as a yes, as Keras does.",
        'const precision = (yTrue, yPred) => tf.metrics.precision(yTrue, tf.round(yPred));',
        'model.compile({',
        '  optimizer: tf.train.momentum(0.02, 0.9),',
        "  loss: 'categoricalCrossentropy',",
        "  metrics: ['accuracy', precision, 'mae'],",
        '});',
        'await model.fit(xs, ys, {',
        '  epochs: 10,',
        '  batchSize: 32,',
        '  shuffle: true,',
        '  validationSplit: 0.2, // the last share of the rows, kept back for checking',
        "  callbacks: [tf.callbacks.earlyStopping({monitor: 'val_acc', patience: 3})],",
        '});',
      ].join('\n'),
    );
    expect(code.keras).toContain('    optimizer=keras.optimizers.SGD(learning_rate=0.02, momentum=0.9),');
    expect(code.keras).toContain('    metrics=["accuracy", keras.metrics.Precision(), "mae"],');
    expect(code.keras).toContain('    validation_split=0.2,  # the last share of the rows, kept back for checking');
    expect(code.keras).toContain('    callbacks=[keras.callbacks.EarlyStopping(monitor="val_accuracy", patience=3)],');
    expect(code.pytorch).toContain('optimizer = torch.optim.SGD(model.parameters(), lr=0.02, momentum=0.9)');
  });

  it('says what extra figures would need when the labels are class numbers, and nothing when they are one-hot', () => {
    const withClassNumbers = compileTrainingCell(trainingWorkspace('t', { loss: 'sparseCategoricalCrossentropy', metrics: ['recall'] }), { dataset: 'mnist', data: mnist });
    expect(withClassNumbers.code.tfjs).toMatch(/^\/\/ The extra figures below compare one-hot classes: .*one-hot rows first/m);
    expect(withClassNumbers.code.keras).toMatch(/^# The extra figures below compare one-hot classes/m);
    const oneHot = compileTrainingCell(trainingWorkspace('t', { metrics: ['recall'] }), { dataset: 'mnist', data: mnist });
    expect(oneHot.code.tfjs).not.toContain('compare one-hot classes');
    const accuracyOnly = compileTrainingCell(trainingWorkspace('t', { loss: 'sparseCategoricalCrossentropy' }), { dataset: 'mnist', data: mnist });
    expect(accuracyOnly.code.keras).not.toContain('compare one-hot classes');
  });

  it('says beside a value that it is a default when no block sets it', () => {
    const { code } = compileTrainingCell(trainBlockWorkspace('t', [{ type: 'train_epochs', id: 'e', fields: { epochs: 2 } }]), { dataset: 'mnist', data: mnist });
    expect(code.tfjs).toContain('  optimizer: tf.train.adam(0.003), // default: no "optimizer" block\n');
    expect(code.tfjs).toContain('  epochs: 2,\n');
    expect(code.tfjs).toContain('  batchSize: 32, // default: no "batch size" block\n');
    expect(code.tfjs).toContain('// Random seed 42 (the default: no "random seed" block)');
    expect(code.keras).toContain('    loss="categorical_crossentropy",  # default: no "loss" block\n');
  });

  it('keeps text typed into an upload name inside its comment', () => {
    const data: TrainingDataFacts = { info: { ...BUILT_IN_DATASETS.iris, name: 'mine\nalert(1)' }, ownValidation: '3 rows' };
    const { code } = compileTrainingCell(trainingWorkspace('t'), { dataset: 'iris', data });
    expect(code.tfjs).not.toMatch(/^alert/m);
    expect(code.keras).not.toMatch(/^alert/m);
  });
});

describe('compileTrainingCell: problems on the training blocks', () => {
  it('says on the validation split block when the data keeps validation rows of its own, and which rows are used', () => {
    const workspace = trainingWorkspace('t', { validationSplit: 0.1 });
    const { diagnostics, code } = compileTrainingCell(workspace, { dataset: 'iris', data: iris });
    expect(diagnostics).toEqual([
      expect.objectContaining({
        blockId: 't-validation-split',
        severity: 'warning',
        code: 'validation-split-unused',
        message:
          'Iris flowers already keeps 15% of its rows apart for validation, so this block is not used: after every epoch the model is checked on those rows, and it trains on all the training rows.',
      }),
    ]);
    expect(code.tfjs).toContain('  // validation split 0.1 is not used: Iris flowers has validation rows of its own.\n  validationData: [xsVal, ysVal], // the validation rows of Iris flowers');
    // MNIST has none of its own, so the same block is used there.
    expect(compileTrainingCell(workspace, { dataset: 'mnist', data: mnist }).diagnostics).toEqual([]);
  });

  it('refuses binary crossentropy on ten digits on the loss block, and warns about mean squared error', () => {
    const binary = compileTrainingCell(trainingWorkspace('t', { loss: 'binaryCrossentropy' }), { dataset: 'mnist', data: mnist });
    expect(binary.diagnostics).toEqual([expect.objectContaining({ blockId: 't-loss', severity: 'error', code: 'loss-does-not-fit-labels' })]);
    const squared = compileTrainingCell(trainingWorkspace('t', { loss: 'meanSquaredError' }), { dataset: 'mnist', data: mnist });
    expect(squared.diagnostics).toEqual([expect.objectContaining({ blockId: 't-loss', severity: 'warning' })]);
  });

  it('puts the memory a batch needs on the batch size block, and advice about the model on the model', () => {
    const wide = compileCell(
      modelWorkspace('wide', 'wide', [
        { key: 'input', args: { shape: [224, 224, 3] } },
        { key: 'conv2d', args: { filters: 64, kernelSize: 3, padding: 'same', activation: 'relu' } },
        { key: 'globalAveragePooling2d' },
        { key: 'dense', args: { units: 10 } },
      ]),
      { batchSize: null },
    );
    expect(wide.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    const small = compileTrainingCell(trainingWorkspace('t', { batchSize: 4 }), { dataset: 'mnist', data: mnist, model: wide });
    expect(small.diagnostics).toEqual([]);
    expect(small.trainingBytes).toBeGreaterThan(0);
    expect(small.modelAdvice).toEqual([expect.objectContaining({ blockId: 'wide-4-dense', code: 'no-output-activation' })]);

    const big = compileTrainingCell(trainingWorkspace('t', { batchSize: 256 }), { dataset: 'mnist', data: mnist, model: wide });
    expect(big.diagnostics).toEqual([expect.objectContaining({ blockId: 't-batch-size', severity: 'error', code: 'too-much-memory' })]);
    expect(big.diagnostics[0]!.message).toMatch(/^Training this model with batches of 256 needs about .* GB of memory, more than the 2\.1 GB the server allows\.$/);
    expect(big.trainingBytes).toBeGreaterThan(small.trainingBytes * 50);
  });

  it('trains what the blocks say on the dataset picked in the header', () => {
    const { training } = compileTrainingCell(trainingWorkspace('t', { epochs: 1 }), { dataset: { cell: 'data-1' }, model: compileCell(mnistCnnWorkspace()) });
    expect(training).toMatchObject({ epochs: 1, dataset: { cell: 'data-1' } });
  });
});
