/** MaxPooling2D and AveragePooling2D differ only in what they keep from each patch. */
import { choice, defineLayer, intOrPair, type LayerDefinition } from './define';
import { PADDINGS } from './enums';
import { slideWindow2d } from './rules';

export function pooling2dLayer(o: { key: string; kerasClass: string; tfjsFactory: string; label: string; doc: string }): LayerDefinition {
  return defineLayer({
    ...o,
    category: 'pooling',
    args: {
      poolSize: intOrPair({
        default: 2,
        min: 1,
        max: 64,
        label: 'pool size',
        essential: true,
        doc: 'The size of each patch: 2 means 2×2 pixels become 1.',
      }),
      strides: intOrPair({
        default: null,
        nullMeans: 'same as the pool size',
        min: 1,
        max: 64,
        doc: 'How many pixels to move between patches. Leave it on "auto" to use the pool size.',
      }),
      padding: choice(PADDINGS, { default: 'valid', doc: '"same" adds a border so patches at the edge are not dropped.' }),
    },
    inputRank: { min: 3, max: 3 },
    outputShape: (input, args) => {
      const slid = slideWindow2d(
        input,
        { window: args.poolSize, strides: args.strides ?? args.poolSize, padding: args.padding },
        o.label,
        'pool',
      );
      return 'problem' in slid ? slid : { shape: [slid.height, slid.width, input[2]] };
    },
    params: () => 0,
  });
}
