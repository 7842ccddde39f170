'use client';

import { useEffect, useId, useMemo, useRef, useState, type DragEvent } from 'react';
import { useQuery } from '@tanstack/react-query';
import type { DataSource } from '../../blocks/format/datasets';
import { useTRPC } from '../trpc/react';
import { DrawingPad, SeenPicture } from './DrawingPad';
import { GreyCanvas } from './GreyCanvas';
import { LookInside } from './LookInside';
import { inkOfPictures, type Ink } from './mnist-drawing';
import { ModelAnswer, useRunModel, type TryPanelProps } from './model-answer';
import { PICTURE_FILE_TYPES, readPictureFile, type TriedPicture } from './picture-file';
import { asGuess, takesDrawings } from './prediction';

type Way = 'draw' | 'file';

const INK_CHOICES: ReadonlyArray<{ ink: Ink; label: string }> = [
  { ink: 'light-on-dark', label: 'White ink on black' },
  { ink: 'dark-on-light', label: 'Black ink on white' },
];

/**
 * "Try your model" for pictures: a picture file, chosen or dropped on the panel, made into the
 * model's input as the importer makes training pictures; for 28×28 grey pictures also a
 * drawing pad, whose ink follows the data's pictures. One answer and "Look inside" for
 * whichever the student is trying.
 */
export function PicturePanel(props: TryPanelProps & { source: DataSource }) {
  const { id, hidden, runId, currentData, source } = props;
  const instructionId = useId();
  const wayName = useId();
  const { data, model } = useRunModel(runId, currentData);
  const drawable = takesDrawings(currentData);
  const [way, setWay] = useState<Way>(drawable ? 'draw' : 'file');
  const [drawn, setDrawn] = useState<Float32Array | null>(null);
  const [tried, setTried] = useState<TriedPicture | null>(null);
  const [original, setOriginal] = useState<string | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const [reading, setReading] = useState(false);
  const [dragging, setDragging] = useState(false);
  // Only the newest file's answer counts when a student picks two quickly.
  const latestFile = useRef(0);
  const dataInk = useDataInk(source, drawable);
  const [chosenInk, setChosenInk] = useState<Ink | null>(null);
  const ink = chosenInk ?? dataInk ?? 'light-on-dark';

  useEffect(() => () => void (original && URL.revokeObjectURL(original)), [original]);

  const picture = way === 'draw' ? drawn : (tried?.input ?? null);
  const guess = useMemo(() => (model.status === 'ready' && picture ? asGuess(model.model.predict(picture)) : null), [model, picture]);
  const what = data.classNoun === 'digits' ? 'a digit' : `one of the ${data.classes.length} ${data.classNoun}`;

  async function tryFile(file: File) {
    const ticket = ++latestFile.current;
    setWay('file');
    setReading(true);
    const read = await readPictureFile(file, currentData.inputShape as [number, number, number]);
    if (ticket !== latestFile.current) return;
    setReading(false);
    if ('problem' in read) {
      setProblem(read.problem);
      setTried(null);
      setOriginal(null);
      return;
    }
    setProblem(null);
    setTried(read);
    setOriginal(URL.createObjectURL(file));
  }

  function dragOver(event: DragEvent<HTMLDivElement>) {
    if (!event.dataTransfer.types.includes('Files')) return;
    event.preventDefault();
    event.dataTransfer.dropEffect = 'copy';
    setDragging(true);
  }

  function drop(event: DragEvent<HTMLDivElement>) {
    setDragging(false);
    const file = event.dataTransfer.files[0];
    if (!file) return;
    event.preventDefault();
    void tryFile(file);
  }

  function drawStroke(next: Float32Array | null) {
    // The first stroke keeps the ink it was drawn in: the data's ink, judged from its preview,
    // may answer only later, and switching then would read the drawing backwards.
    setChosenInk((chosen) => chosen ?? ink);
    setDrawn(next);
  }

  function chooseInk(next: Ink) {
    setChosenInk(next);
    // A drawing in the other ink would be read backwards: start again on a fresh pad.
    setDrawn(null);
  }

  return (
    <div
      id={id}
      className={dragging ? 'try-model__panel try-model__panel--dropping' : 'try-model__panel'}
      hidden={hidden}
      onDragOver={dragOver}
      onDragLeave={() => setDragging(false)}
      onDrop={drop}
    >
      {drawable && (
        <fieldset className="try-model__ways">
          <legend>Try it with</legend>
          {(
            [
              ['draw', 'A drawing'],
              ['file', 'A picture file'],
            ] as const
          ).map(([value, label]) => (
            <label key={value} className="try-model__way">
              <input type="radio" name={wayName} value={value} checked={way === value} onChange={() => setWay(value)} /> {label}
            </label>
          ))}
        </fieldset>
      )}
      <p id={instructionId} className="try-model__instruction">
        {way === 'draw'
          ? `Draw ${what} in the ${ink === 'light-on-dark' ? 'black' : 'white'} box with your mouse, finger or pen, big and in the middle. Your model guesses after each stroke. With the keyboard: the arrow keys draw from the middle, Enter asks your model.`
          : `Choose a PNG or JPEG picture of ${what}, or drop one on this panel. It is made ${sizeInWords(currentData.inputShape)}, just like the pictures your model trained on.`}
      </p>
      <div className="try-model__layout">
        {/* Both stay made while the other is shown, so switching keeps the drawing and the picture. */}
        {drawable && (
          <div className="try-model__drawing" hidden={way !== 'draw'}>
            <DrawingPad describedBy={instructionId} onStroke={drawStroke} blank={drawn === null} ink={ink} />
            <fieldset className="try-model__ink">
              <legend>Ink</legend>
              {INK_CHOICES.map((choice) => (
                <label key={choice.ink} className="try-model__way">
                  <input type="radio" name={`${wayName}-ink`} checked={ink === choice.ink} onChange={() => chooseInk(choice.ink)} /> {choice.label}
                </label>
              ))}
            </fieldset>
            <div className="try-model__tools">
              <button type="button" className="button" onClick={() => setDrawn(null)} disabled={drawn === null}>
                Clear
              </button>
              {drawn && <SeenPicture picture={drawn} />}
            </div>
          </div>
        )}
        <div className="try-model__file" hidden={way !== 'file'}>
          <div className="field">
            <label htmlFor={`${instructionId}-file`}>Picture file</label>
            <input
              id={`${instructionId}-file`}
              type="file"
              accept={PICTURE_FILE_TYPES}
              aria-describedby={instructionId}
              onChange={(event) => {
                const file = event.target.files?.[0];
                if (file) void tryFile(file);
              }}
            />
          </div>
          {reading && <p role="status">Reading the picture…</p>}
          {problem && (
            <p role="alert" className="notice notice--error">
              {problem}
            </p>
          )}
          {tried && original && !problem && <SideBySide tried={tried} original={original} inputShape={currentData.inputShape as [number, number, number]} />}
        </div>
        <ModelAnswer
          model={model}
          guess={guess}
          data={data}
          waiting={way === 'draw' ? `Draw ${what} to see what your model thinks it is.` : `Choose a picture to see what your model thinks it is.`}
        />
      </div>
      {model.status === 'ready' && <LookInside model={model.model} picture={picture} example={way === 'draw' ? 'drawing' : 'picture'} />}
    </div>
  );
}

/** "28×28 pixels, grey", "32×32 pixels, in colour". */
function sizeInWords(inputShape: readonly number[]): string {
  const [height, width, channels] = inputShape;
  return `${width}×${height} pixels${channels === 3 ? ' in colour' : ', grey'}`;
}

/** The student's picture beside the same picture as the model sees it, at its real resolution with square pixels. */
function SideBySide({ tried, original, inputShape }: { tried: TriedPicture; original: string; inputShape: [number, number, number] }) {
  const [size, , channels] = inputShape;
  const seen = useMemo(
    () => ({ width: size, height: size, levels: tried.levels, description: `Your picture as the model sees it: ${sizeInWords(inputShape)}` }),
    [tried, size, inputShape],
  );
  return (
    <div className="try-model__pictures">
      <figure className="try-model__picture">
        {/* The student's own file by an object URL (the page's policy allows blob: pictures). */}
        <img src={original} alt={`Your picture, ${tried.name}`} />
        <figcaption>
          Yours: {tried.width}×{tried.height} pixels
        </figcaption>
      </figure>
      <figure className="try-model__picture">
        <GreyCanvas image={seen} channels={channels === 3 ? 3 : 1} />
        <figcaption>What your model sees: {size}×{size}</figcaption>
      </figure>
    </div>
  );
}

/**
 * The ink of the data's pictures (see inkOfPictures), from the preview its data cell already
 * asked for: a built-in set's preview, or an upload's details. Null until it answers, or when it
 * cannot (the pad then draws like MNIST, and the student can switch).
 */
function useDataInk(source: DataSource, enabled: boolean): Ink | null {
  const trpc = useTRPC();
  const builtIn = source.kind === 'builtIn' ? source : null;
  const upload = source.kind === 'upload' ? source : null;
  const preview = useQuery({ ...trpc.dataset.preview.queryOptions({ source: builtIn ?? { kind: 'builtIn', id: 'mnist' } }), enabled: enabled && builtIn !== null, staleTime: Infinity });
  const details = useQuery({ ...trpc.dataset.get.queryOptions({ id: upload?.datasetId ?? '' }), enabled: enabled && upload !== null });
  return useMemo(() => {
    if (builtIn) return preview.data?.kind === 'images' ? inkOfPictures(preview.data.images, preview.data.width, preview.data.height) : null;
    const stored = details.data?.preview;
    return stored && 'kind' in stored && stored.kind === 'images' ? inkOfPictures(stored.images, stored.width, stored.height, stored.channels) : null;
  }, [builtIn, preview.data, details.data]);
}
