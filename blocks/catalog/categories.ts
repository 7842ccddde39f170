/**
 * Toolbox categories, in toolbox order. They follow the sections of the Keras layer docs so
 * that what students see here matches what they find there later.
 */
export const CATEGORIES = [
  { key: 'input', label: 'Input', colour: '#5b67a5', doc: 'Where the data comes into the model.' },
  { key: 'core', label: 'Core', colour: '#5ba55b', doc: 'Dense layers, embeddings and activations: the basic building blocks.' },
  { key: 'convolution', label: 'Convolution', colour: '#a55b80', doc: 'Layers that slide small filters over an image (or a sequence) to find patterns.' },
  { key: 'pooling', label: 'Pooling', colour: '#a5745b', doc: 'Layers that shrink the data by keeping a summary of each small patch.' },
  { key: 'recurrent', label: 'Recurrent', colour: '#5b80a5', doc: 'Layers that read a sequence one step at a time and remember what came before.' },
  { key: 'reshaping', label: 'Reshaping', colour: '#5ba5a5', doc: 'Layers that change the shape of the data without learning anything.' },
  { key: 'normalization', label: 'Normalization', colour: '#8a5ba5', doc: 'Layers that keep numbers in a steady range so training goes smoothly.' },
  { key: 'regularization', label: 'Regularization', colour: '#a59c5b', doc: 'Layers that help the model learn general rules instead of memorising.' },
  { key: 'activations', label: 'Activations', colour: '#6f9a3a', doc: 'Activation functions as their own layers, some with settings or learned numbers.' },
  { key: 'merging', label: 'Merging', colour: '#b5654a', doc: 'Layers that combine two or more branches of the model into one.' },
  { key: 'preprocessing', label: 'Preprocessing', colour: '#7a7a7a', doc: 'Layers that prepare raw data (scale, resize, crop, count) inside the model.' },
] as const;

export type CategoryKey = (typeof CATEGORIES)[number]['key'];
export type Category = (typeof CATEGORIES)[number];

/** Colour of the "model" block and the toolbox category holding it. */
export const MODEL_COLOUR = '#444c5c';
