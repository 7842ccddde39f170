import type { SavedWeights } from './protocol';

/** The weights file's name, as model.json refers to it: relative, so it resolves next to model.json wherever that is served or saved. */
export const WEIGHTS_FILE_NAME = 'weights.bin';

/**
 * A trained model as TF.js's two files, exactly what `tf.loadLayersModel('…/model.json')`
 * reads (the "layers-model" format). One home for the format, so the download route and
 * `layerbook train --save` write the same thing.
 */
export function tfjsModelJson(weights: SavedWeights): string {
  return JSON.stringify({
    format: 'layers-model',
    generatedBy: 'Layerbook',
    convertedBy: null,
    modelTopology: weights.modelTopology,
    weightsManifest: [{ paths: [WEIGHTS_FILE_NAME], weights: weights.weightSpecs }],
  });
}
