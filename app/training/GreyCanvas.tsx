'use client';

import { useEffect, useRef, type CSSProperties } from 'react';
import type { GreyImage } from './model-insides';

/**
 * A grey picture painted pixel for pixel on a canvas the size of the picture; CSS shows it
 * larger with square pixels. A picture to screen readers, with the image's own description.
 */
export function GreyCanvas({ image, className, style }: { image: GreyImage; className?: string; style?: CSSProperties }) {
  const canvasRef = useRef<HTMLCanvasElement>(null);
  useEffect(() => {
    const pen = canvasRef.current?.getContext('2d');
    if (!pen) return;
    const pixels = pen.createImageData(image.width, image.height);
    image.levels.forEach((level, i) => pixels.data.set([level, level, level, 255], i * 4));
    pen.putImageData(pixels, 0, 0);
  }, [image]);
  return <canvas ref={canvasRef} className={className} style={style} width={image.width} height={image.height} role="img" aria-label={image.description} />;
}
