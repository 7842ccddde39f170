/**
 * Toolbox categories, in toolbox order. They follow the sections of the Keras layer docs so
 * that what students see here matches what they find there later.
 */
export const CATEGORIES = [
  { key: 'input', label: 'Input', colour: '#5b67a5', doc: 'Where the data comes into the model.' },
  { key: 'core', label: 'Core', colour: '#5ba55b', doc: 'Dense layers and activations: the basic building blocks.' },
  { key: 'convolution', label: 'Convolution', colour: '#a55b80', doc: 'Layers that slide small filters over an image to find patterns.' },
  { key: 'pooling', label: 'Pooling', colour: '#a5745b', doc: 'Layers that shrink an image by keeping a summary of each small patch.' },
  { key: 'reshaping', label: 'Reshaping', colour: '#5ba5a5', doc: 'Layers that change the shape of the data without learning anything.' },
  { key: 'normalization', label: 'Normalization', colour: '#8a5ba5', doc: 'Layers that keep numbers in a steady range so training goes smoothly.' },
  { key: 'regularization', label: 'Regularization', colour: '#a59c5b', doc: 'Layers that help the model learn general rules instead of memorising.' },
] as const;

export type CategoryKey = (typeof CATEGORIES)[number]['key'];
export type Category = (typeof CATEGORIES)[number];

/** Colour of the "model" block and the toolbox category holding it. */
export const MODEL_COLOUR = '#444c5c';
