'use client';

import { useEffect, useRef, type CSSProperties } from 'react';
import type { GreyImage } from './model-insides';

/**
 * A picture painted pixel for pixel on a canvas the size of the picture; CSS shows it larger
 * with square pixels. Grey levels by default; with `channels` 3, `levels` holds red, green
 * and blue for each pixel (a colour picture as a model sees it). A picture to screen readers,
 * with the image's own description.
 */
export function GreyCanvas({ image, className, style, channels = 1 }: { image: Omit<GreyImage, 'levels'> & { levels: ArrayLike<number> }; className?: string; style?: CSSProperties; channels?: 1 | 3 }) {
  const canvasRef = useRef<HTMLCanvasElement>(null);
  useEffect(() => {
    const pen = canvasRef.current?.getContext('2d');
    if (!pen) return;
    const pixels = pen.createImageData(image.width, image.height);
    const count = Math.floor(image.levels.length / channels);
    for (let i = 0; i < count; i++) {
      const at = i * channels;
      const [r, g, b] = channels === 3 ? [image.levels[at]!, image.levels[at + 1]!, image.levels[at + 2]!] : [image.levels[at]!, image.levels[at]!, image.levels[at]!];
      pixels.data.set([r, g, b, 255], i * 4);
    }
    pen.putImageData(pixels, 0, 0);
  }, [image, channels]);
  return <canvas ref={canvasRef} className={className} style={style} width={image.width} height={image.height} role="img" aria-label={image.description} />;
}
