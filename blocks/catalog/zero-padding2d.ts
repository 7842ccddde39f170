import { defineLayer, intOrPair } from './define';
import { dataFormatArg } from './conv';
import { joinChannels, pair, splitChannels } from './rules';

export const zeroPadding2d = defineLayer({
  key: 'zeroPadding2d',
  kerasClass: 'ZeroPadding2D',
  tfjsFactory: 'zeroPadding2d',
  label: 'ZeroPadding2D',
  category: 'reshaping',
  doc: 'Adds a border of zeros around the image, making it bigger.',
  args: {
    padding: intOrPair({
      default: 1,
      min: 0,
      max: 1000,
      essential: true,
      doc: 'Pixels of zeros to add on every edge: 2 adds 2 on each side; 2,4 adds 2 at top and bottom and 4 at left and right.',
    }),
    dataFormat: dataFormatArg(),
  },
  inputRank: { min: 3, max: 3 },
  outputShape: (input, args) => {
    const [ph, pw] = pair(args.padding);
    const { spatial, channels } = splitChannels(input, args.dataFormat);
    const grow = (d: number | null | undefined, by: number) => (d === null || d === undefined ? null : d + 2 * by);
    return { shape: joinChannels([grow(spatial[0], ph), grow(spatial[1], pw)], channels, args.dataFormat) };
  },
  params: () => 0,
  examples: [{ input: [28, 28, 1], args: { padding: 2 } }, { input: [3, 10, 12], args: { padding: [1, 3], dataFormat: 'channelsFirst' } }],
});
