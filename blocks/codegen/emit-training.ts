/**
 * Training settings → the code that trains the model cell's `model` with them, in TF.js,
 * Keras and (as a sketch) PyTorch. It continues the model cell's code: the same `model`
 * variable, then compile and fit, so the cells' code in order reads as one program.
 */
import { checkingRows, extraMetrics, getLoss, getMetric, getOptimizer, type CheckingRows } from '../catalog/training';
import { DEFAULT_MOMENTUM, DEFAULT_PATIENCE } from '../format/model-spec';
import type { SettingSlot, TrainingSettings } from '../workspace/training-from-workspace';
import { commentText, jsLiteral, jsString } from './literal';
import { pyString, pyValue } from './emit-keras';

export interface TrainingCodeContext {
  /** Settings that have no block, so their defaults are used; the code says so beside them. */
  defaulted?: ReadonlySet<SettingSlot>;
  /** The dataset's name, for the opening comment ("MNIST"); unknown when left out. */
  datasetName?: string;
  /** Whether the dataset has validation rows of its own; null or left out when not known. */
  hasOwnValidationRows?: boolean | null;
  /** Classes in the dataset, for the PyTorch sketch's one-hot labels. */
  classCount?: number;
}

export type TrainingLanguage = 'tfjs' | 'keras' | 'pytorch';

export function emitTraining(language: TrainingLanguage, settings: TrainingSettings, context: TrainingCodeContext = {}): string {
  switch (language) {
    case 'tfjs':
      return emitTfjsTraining(settings, context);
    case 'keras':
      return emitKerasTraining(settings, context);
    case 'pytorch':
      return emitPytorchTraining(settings, context);
  }
}

const DEFAULT_NOTE = (slot: SettingSlot, block: string) => (isDefault: ReadonlySet<SettingSlot> | undefined) =>
  isDefault?.has(slot) ? ` // default: no "${block}" block` : '';

const notes = {
  optimizer: DEFAULT_NOTE('optimizer', 'optimizer'),
  loss: DEFAULT_NOTE('loss', 'loss'),
  epochs: DEFAULT_NOTE('epochs', 'epochs'),
  batchSize: DEFAULT_NOTE('batchSize', 'batch size'),
  seed: DEFAULT_NOTE('seed', 'random seed'),
};

/** Python comments start with # instead of //. */
const py = (note: string) => note.replace(' // ', '  # ');

function checking(settings: TrainingSettings, context: TrainingCodeContext): CheckingRows {
  return checkingRows(settings.validationSplit, context.hasOwnValidationRows ?? null);
}

function dataWords(context: TrainingCodeContext): string {
  return context.datasetName ?? 'the dataset';
}

/**
 * Layerbook measures the extra figures itself, for class numbers too; the libraries' own
 * metrics compare one-hot rows, so the printed code says what running it alone would need.
 */
const ONE_HOT_METRICS_NOTE =
  'The extra figures below compare one-hot classes: to run this yourself with class numbers, turn the labels into one-hot rows first, or pick categorical crossentropy.';

export function emitTfjsTraining(settings: TrainingSettings, context: TrainingCodeContext = {}): string {
  const lines: string[] = [];
  const sparse = settings.loss === 'sparseCategoricalCrossentropy';
  lines.push(`// Trains \`model\` (from the model cell) on ${commentText(dataWords(context))}.`);
  lines.push(`// xs holds the training examples, ys their classes (${sparse ? 'as class numbers' : 'one-hot'}).`);
  lines.push(
    `// Random seed ${settings.seed}${seedNote(context)}: Layerbook makes the starting weights, dropout and shuffling from it (TF.js has no seed setting of its own).`,
  );

  const metrics = extraMetrics(settings.metrics);
  if (sparse && metrics.length > 0) lines.push(`// ${ONE_HOT_METRICS_NOTE}`);
  const rounded = metrics.map(getMetric).filter((m) => 'roundedFunction' in m.tfjs);
  if (rounded.length > 0) {
    lines.push("// TF.js's precision and recall only count outputs of exactly 1; rounding first counts above 0.5 as a yes, as Keras does.");
    for (const m of rounded) {
      const fn = (m.tfjs as { roundedFunction: string }).roundedFunction;
      lines.push(`const ${fn} = (yTrue, yPred) => tf.metrics.${fn}(yTrue, tf.round(yPred));`);
    }
  }
  const metricList = ['\'accuracy\'', ...metrics.map((key) => {
    const tfjs = getMetric(key).tfjs;
    return 'name' in tfjs ? jsString(tfjs.name) : tfjs.roundedFunction;
  })];

  lines.push('model.compile({');
  lines.push(`  optimizer: ${tfjsOptimizer(settings)},${notes.optimizer(context.defaulted)}`);
  lines.push(`  loss: ${jsString(settings.loss)},${notes.loss(context.defaulted)}`);
  lines.push(`  metrics: [${metricList.join(', ')}],`);
  lines.push('});');
  lines.push('await model.fit(xs, ys, {');
  lines.push(`  epochs: ${settings.epochs},${notes.epochs(context.defaulted)}`);
  lines.push(`  batchSize: ${settings.batchSize},${notes.batchSize(context.defaulted)}`);
  lines.push('  shuffle: true,');
  switch (checking(settings, context)) {
    case 'split':
      lines.push(`  validationSplit: ${jsLiteral(settings.validationSplit)}, // the last share of the rows, kept back for checking`);
      break;
    case 'own':
      if (settings.validationSplit) lines.push(`  // validation split ${settings.validationSplit} is not used: ${commentText(dataWords(context))} has validation rows of its own.`);
      lines.push(`  validationData: [xsVal, ysVal], // the validation rows of ${commentText(dataWords(context))}`);
      break;
    case 'test':
      lines.push(`  validationData: [xsTest, ysTest], // ${commentText(dataWords(context))} has no validation rows: checked on its test rows`);
      break;
  }
  if (settings.earlyStopping) {
    lines.push(`  callbacks: [tf.callbacks.earlyStopping({monitor: 'val_acc', patience: ${settings.patience ?? DEFAULT_PATIENCE}})],`);
  }
  lines.push('});');
  return lines.join('\n') + '\n';
}

function seedNote(context: TrainingCodeContext): string {
  return context.defaulted?.has('seed') ? ' (the default: no "random seed" block)' : '';
}

function tfjsOptimizer(settings: TrainingSettings): string {
  const optimizer = getOptimizer(settings.optimizer);
  const rate = jsLiteral(settings.learningRate);
  if (optimizer.hasMomentum) return `tf.train.${optimizer.tfjs}(${rate}, ${jsLiteral(settings.momentum ?? DEFAULT_MOMENTUM)})`;
  return `tf.train.${optimizer.tfjs}(${rate})`;
}

export function emitKerasTraining(settings: TrainingSettings, context: TrainingCodeContext = {}): string {
  const sparse = settings.loss === 'sparseCategoricalCrossentropy';
  const optimizer = getOptimizer(settings.optimizer);
  const optimizerArgs = [`learning_rate=${pyValue(settings.learningRate)}`, ...(optimizer.hasMomentum ? [`momentum=${pyValue(settings.momentum ?? DEFAULT_MOMENTUM)}`] : [])];
  const metrics = ['"accuracy"', ...extraMetrics(settings.metrics).map((key) => getMetric(key).keras)];
  const lines = [
    'from tensorflow import keras',
    '',
    `# Trains \`model\` (from the model cell) on ${pyComment(dataWords(context))}.`,
    `# x holds the training examples, y their classes (${sparse ? 'as class numbers' : 'one-hot'}).`,
    ...(sparse && metrics.length > 1 ? [`# ${ONE_HOT_METRICS_NOTE}`] : []),
    `keras.utils.set_random_seed(${settings.seed})${py(notes.seed(context.defaulted))}`,
    'model.compile(',
    `    optimizer=keras.optimizers.${optimizer.keras}(${optimizerArgs.join(', ')}),${py(notes.optimizer(context.defaulted))}`,
    `    loss=${pyString(getLoss(settings.loss).keras)},${py(notes.loss(context.defaulted))}`,
    `    metrics=[${metrics.join(', ')}],`,
    ')',
    'model.fit(',
    '    x,',
    '    y,',
    `    epochs=${settings.epochs},${py(notes.epochs(context.defaulted))}`,
    `    batch_size=${settings.batchSize},${py(notes.batchSize(context.defaulted))}`,
  ];
  switch (checking(settings, context)) {
    case 'split':
      lines.push(`    validation_split=${pyValue(settings.validationSplit)},  # the last share of the rows, kept back for checking`);
      break;
    case 'own':
      if (settings.validationSplit) lines.push(`    # validation split ${settings.validationSplit} is not used: ${pyComment(dataWords(context))} has validation rows of its own.`);
      lines.push(`    validation_data=(x_val, y_val),  # the validation rows of ${pyComment(dataWords(context))}`);
      break;
    case 'test':
      lines.push(`    validation_data=(x_test, y_test),  # ${pyComment(dataWords(context))} has no validation rows: checked on its test rows`);
      break;
  }
  if (settings.earlyStopping) {
    lines.push(`    callbacks=[keras.callbacks.EarlyStopping(monitor="val_accuracy", patience=${settings.patience ?? DEFAULT_PATIENCE})],`);
  }
  lines.push(')');
  return lines.join('\n') + '\n';
}

/**
 * A sketch: the optimizer, the loss and the loop. Validation, metrics and early stopping are
 * left out (PyTorch has no fit(); each would be more loop code than a student needs here).
 */
export function emitPytorchTraining(settings: TrainingSettings, context: TrainingCodeContext = {}): string {
  const optimizer = getOptimizer(settings.optimizer);
  const optimizerArgs = ['model.parameters()', `lr=${pyValue(settings.learningRate)}`, ...(optimizer.hasMomentum ? [`momentum=${pyValue(settings.momentum ?? DEFAULT_MOMENTUM)}`] : [])];
  const classes = context.classCount ?? 'num_classes';
  const [lossLine, lossCall] = pytorchLoss(settings.loss, classes);
  return [
    'import torch',
    'from torch import nn',
    '',
    `# A sketch of the same training in PyTorch, on ${pyComment(dataWords(context))}: \`model\` is the model cell's nn.Module,`,
    '# train_loader gives batches of (examples, class numbers). Validation, metrics and early stopping are left out.',
    `torch.manual_seed(${settings.seed})`,
    `optimizer = torch.optim.${optimizer.pytorch}(${optimizerArgs.join(', ')})`,
    lossLine,
    `for epoch in range(${settings.epochs}):`,
    `    for xb, yb in train_loader:  # DataLoader(train_data, batch_size=${settings.batchSize}, shuffle=True)`,
    '        optimizer.zero_grad()',
    `        loss = ${lossCall}`,
    '        loss.backward()',
    '        optimizer.step()',
  ].join('\n') + '\n';
}

function pytorchLoss(loss: TrainingSettings['loss'], classes: number | string): [string, string] {
  const oneHot = `nn.functional.one_hot(yb, ${classes}).float()`;
  switch (loss) {
    case 'categoricalCrossentropy':
    case 'sparseCategoricalCrossentropy':
      return ['loss_fn = nn.NLLLoss()  # the model ends in softmax, so the loss gets log-probabilities', 'loss_fn(torch.log(model(xb)), yb)'];
    case 'binaryCrossentropy':
      return ['loss_fn = nn.BCELoss()', `loss_fn(model(xb), ${oneHot})`];
    case 'meanSquaredError':
      return ['loss_fn = nn.MSELoss()', `loss_fn(model(xb), ${oneHot})`];
  }
}

function pyComment(text: string): string {
  return commentText(text);
}
