import { defineLayer, intOrPair } from './define';
import { dataFormatArg } from './conv';
import { joinChannels, pair, splitChannels } from './rules';

export const cropping2d = defineLayer({
  key: 'cropping2d',
  kerasClass: 'Cropping2D',
  tfjsFactory: 'cropping2D',
  label: 'Cropping2D',
  category: 'reshaping',
  doc: 'Cuts rows and columns of pixels off the edges of the image.',
  args: {
    cropping: intOrPair({
      default: 1,
      min: 0,
      max: 1000,
      essential: true,
      label: 'crop',
      doc: 'Pixels to cut from every edge: 2 cuts 2 from each side; 2,4 cuts 2 from top and bottom and 4 from left and right.',
    }),
    dataFormat: dataFormatArg(),
  },
  inputRank: { min: 3, max: 3 },
  outputShape: (input, args) => {
    const [ch, cw] = pair(args.cropping);
    const { spatial, channels } = splitChannels(input, args.dataFormat);
    const [h, w] = spatial;
    const sizes = [h === null || h === undefined ? null : h - 2 * ch, w === null || w === undefined ? null : w - 2 * cw];
    if (sizes.some((d) => d !== null && d <= 0)) {
      return {
        problem: {
          code: 'crop-too-big',
          message: `This Cropping2D block cuts ${2 * ch}×${2 * cw} pixels off an image of only ${h ?? '?'}×${w ?? '?'}, so nothing would be left.`,
          fix: 'Crop fewer pixels.',
        },
      };
    }
    return { shape: joinChannels(sizes, channels, args.dataFormat) };
  },
  params: () => 0,
  examples: [{ input: [28, 28, 3], args: { cropping: 2 } }, { input: [3, 20, 30], args: { cropping: [1, 4], dataFormat: 'channelsFirst' } }],
});
