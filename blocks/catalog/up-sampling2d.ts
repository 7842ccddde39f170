import { choice, defineLayer, intOrPair } from './define';
import { INTERPOLATIONS } from './enums';
import { dataFormatArg } from './conv';
import { joinChannels, pair, splitChannels } from './rules';

export const upSampling2d = defineLayer({
  key: 'upSampling2d',
  kerasClass: 'UpSampling2D',
  tfjsFactory: 'upSampling2d',
  label: 'UpSampling2D',
  category: 'reshaping',
  doc: 'Makes the image bigger by repeating its pixels, without learning anything.',
  args: {
    size: intOrPair({ default: 2, min: 1, max: 64, essential: true, pairOnly: true, doc: 'How many times bigger: 2 doubles height and width; 2,3 doubles the height and triples the width.' }),
    dataFormat: dataFormatArg(),
    interpolation: choice(INTERPOLATIONS, { default: 'nearest', advanced: true, doc: 'How the new pixels are filled in.' }),
  },
  inputRank: { min: 3, max: 3 },
  outputShape: (input, args) => {
    const [sh, sw] = pair(args.size);
    const { spatial, channels } = splitChannels(input, args.dataFormat);
    const times = (d: number | null | undefined, by: number) => (d === null || d === undefined ? null : d * by);
    return { shape: joinChannels([times(spatial[0], sh), times(spatial[1], sw)], channels, args.dataFormat) };
  },
  params: () => 0,
  examples: [{ input: [7, 7, 64] }, { input: [4, 5, 3], args: { size: [2, 3], interpolation: 'bilinear' } }],
});
