'use client';

import dynamic from 'next/dynamic';
import { useEffect, useRef } from 'react';
import type { RouterOutputs } from '../trpc/types';
import type { ClassBalance as Balance, PicturePreview } from './upload';
import { formatCount } from '../lib/count';

const ScatterPlot = dynamic(() => import('./ScatterPlot'), { ssr: false, loading: () => <div className="data-preview__placeholder">Loading plot…</div> });

type Preview = RouterOutputs['dataset']['preview'];

/** A look at a built-in dataset: pictures, rows or points, then how many examples each class has. */
export function BuiltInPreview({ preview, name }: { preview: Preview; name: string }) {
  return (
    <div className="data-preview">
      {preview.kind === 'images' && (
        <ul className="data-preview__images" aria-label={`Example pictures from ${name}`}>
          {preview.images.map((image, i) => (
            <li key={i}>
              <DigitImage pixels={image.pixels} width={preview.width} height={preview.height} label={image.label} />
              <span aria-hidden="true">{image.label}</span>
            </li>
          ))}
        </ul>
      )}
      {preview.kind === 'table' && <PreviewTable caption={`The first rows of ${name} (${formatCount(preview.rowCount)} in all)`} columns={preview.columns} rows={preview.rows} />}
      {preview.kind === 'scatter' && <ScatterPlot points={preview.points} classes={preview.balance.classes} label={`The points of ${name}, coloured by class`} />}
      <ClassBalance balance={preview.balance} />
    </div>
  );
}

function DigitImage({ pixels, width, height, label }: { pixels: number[]; width: number; height: number; label: string }) {
  const canvasRef = useRef<HTMLCanvasElement>(null);
  useEffect(() => {
    const context = canvasRef.current?.getContext('2d');
    if (!context) return;
    const image = context.createImageData(width, height);
    pixels.forEach((value, i) => {
      // MNIST is white ink on black; shown as dark ink on white, like on paper.
      const grey = 255 - value;
      image.data.set([grey, grey, grey, 255], i * 4);
    });
    context.putImageData(image, 0, 0);
  }, [pixels, width, height]);
  return <canvas ref={canvasRef} width={width} height={height} role="img" aria-label={`A handwritten ${label}`} />;
}

/** The pictures of an uploaded zip, drawn as they were stored (after resizing), with their class. */
export function PicturePreviewGrid({ preview, name }: { preview: PicturePreview; name: string }) {
  return (
    <ul className="data-preview__images" aria-label={`Example pictures from ${name}`}>
      {preview.images.map((image, i) => (
        <li key={i}>
          <StoredPicture image={image} preview={preview} />
          <span aria-hidden="true">{image.label}</span>
        </li>
      ))}
    </ul>
  );
}

function StoredPicture({ image, preview }: { image: PicturePreview['images'][number]; preview: PicturePreview }) {
  const { width, height, channels } = preview;
  return <PixelPicture pixels={image.pixels} width={width} height={height} channels={channels} label={`A picture of ${image.label}`} />;
}

/**
 * A picture as it is stored, 0..255 levels of one grey or three colour channels per pixel,
 * painted pixel for pixel (CSS shows it larger). Also "Where your model goes wrong"'s pictures.
 */
export function PixelPicture(props: { pixels: ArrayLike<number>; width: number; height: number; channels: number; label: string; className?: string }) {
  const { pixels, width, height, channels, label, className } = props;
  const canvasRef = useRef<HTMLCanvasElement>(null);
  useEffect(() => {
    const context = canvasRef.current?.getContext('2d');
    if (!context) return;
    const data = context.createImageData(width, height);
    for (let i = 0; i < width * height; i++) {
      const at = i * channels;
      const rgb = channels === 3 ? [pixels[at]!, pixels[at + 1]!, pixels[at + 2]!] : [pixels[at]!, pixels[at]!, pixels[at]!];
      data.data.set([...rgb, 255], i * 4);
    }
    context.putImageData(data, 0, 0);
  }, [pixels, width, height, channels]);
  return <canvas ref={canvasRef} className={className} width={width} height={height} role="img" aria-label={label} />;
}

export function PreviewTable({ caption, columns, rows }: { caption: string; columns: string[]; rows: (string | number)[][] }) {
  return (
    <div className="data-preview__table-wrap" tabIndex={0} role="region" aria-label={caption}>
      <table className="data-preview__table">
        <caption>{caption}</caption>
        <thead>
          <tr>
            {columns.map((c) => (
              <th key={c} scope="col">{c}</th>
            ))}
          </tr>
        </thead>
        <tbody>
          {rows.map((row, r) => (
            <tr key={r}>
              {row.map((value, c) => (
                <td key={c}>{value}</td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/** One bar per class with its count in all splits: a lopsided dataset is easy to spot. */
export function ClassBalance({ balance }: { balance: Balance }) {
  const totals = balance.classes.map((_, c) => balance.counts.train[c]! + balance.counts.validation[c]! + balance.counts.test[c]!);
  const largest = Math.max(1, ...totals);
  const split = (name: 'train' | 'validation' | 'test') => balance.counts[name].reduce((a, b) => a + b, 0);
  return (
    <figure className="class-balance">
      <figcaption>
        Examples per class — {formatCount(split('train'))} for training, {formatCount(split('validation'))} for checking, {formatCount(split('test'))} for the final test
      </figcaption>
      <ul>
        {balance.classes.map((name, c) => (
          <li key={name}>
            <span className="class-balance__name">{name}</span>
            <span className="class-balance__bar" style={{ width: `${(totals[c]! / largest) * 100}%` }} aria-hidden="true" />
            <span className="class-balance__count">{formatCount(totals[c]!)}</span>
          </li>
        ))}
      </ul>
    </figure>
  );
}
