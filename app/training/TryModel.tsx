'use client';

import { createContext, useCallback, useContext, useEffect, useId, useMemo, useRef, useState, type KeyboardEvent, type PointerEvent } from 'react';
import type { DataSource, DatasetShapeInfo } from '../../blocks/format/datasets';
import { GreyCanvas } from './GreyCanvas';
import { LookInside } from './LookInside';
import { drawingToMnist, greyFromRgba, PICTURE_SIZE } from './mnist-drawing';
import { ModelAnswer, useRunModel, type TryPanelProps } from './model-answer';
import { greyLevels } from './model-insides';
import { asGuess, takesDrawings, takesTableRows } from './prediction';
import { TableRowPanel } from './TableRowPanel';
import './try-model.css';

/** What a training cell trains on: the data's shape and class names, and where it comes from (which says what its examples are). */
export interface TrainedOn {
  info: DatasetShapeInfo;
  source: DataSource;
}

/**
 * What the training cell's data is, for the "Try your model" panels of its runs. The training
 * cell provides it around its run panel, so the panel in RunPanel.tsx needs nothing passed
 * through it. Null while the data does not resolve.
 */
export const TrainedOnData = createContext<TrainedOn | null>(null);

/** The pad's own pixels: ten per pixel of the 28×28 picture, enough for a smooth stroke. */
const PAD_PIXELS = PICTURE_SIZE * 10;
/**
 * The pen's width on the pad. A digit drawn to fill most of the pad becomes about 20 pixels
 * tall, and its strokes then about 2 pixels wide, like MNIST's pen strokes.
 */
const PEN_WIDTH = 22;
/** How far one arrow key press draws, in the pad's pixels. */
const KEY_STEP_PIXELS = 20;
const KEY_STEPS: Record<string, { x: number; y: number }> = {
  ArrowUp: { x: 0, y: -1 },
  ArrowDown: { x: 0, y: 1 },
  ArrowLeft: { x: -1, y: 0 },
  ArrowRight: { x: 1, y: 0 },
};
const clampToPad = (value: number) => Math.min(PAD_PIXELS - PEN_WIDTH / 2, Math.max(PEN_WIDTH / 2, value));

/**
 * "Try your model": a finished run's model answers, in this browser, for an example the student
 * makes. For 28×28 one-channel pictures (MNIST, Fashion-MNIST, uploads of that shape) a drawing
 * pad; for tables (iris, CSV uploads) a box per column, filled with a real row to start from.
 * Other data (colour pictures, the generated 2-D sets) shows nothing here.
 */
export function TryModel({ runId }: { runId: string }) {
  const trainedOn = useContext(TrainedOnData);
  const [open, setOpen] = useState(false);
  // The panel is made at the first open (that is what loads TF.js and the model) and then only
  // hidden, so closing and opening again keeps the model and the drawing or the typed row.
  const [opened, setOpened] = useState(false);
  const panelId = useId();
  const kind = !trainedOn ? null : takesDrawings(trainedOn.info) ? 'drawing' : takesTableRows(trainedOn.source) ? 'table' : null;
  if (!trainedOn || !kind) return null;
  function toggle() {
    setOpen((value) => !value);
    setOpened(true);
  }
  const panel = { id: panelId, hidden: !open, runId, currentData: trainedOn.info };
  return (
    <section className="try-model" aria-label="Try your model">
      <button type="button" className="button" aria-expanded={open} aria-controls={panelId} onClick={toggle}>
        Try your model
      </button>
      {opened && (kind === 'drawing' ? <TryModelPanel {...panel} /> : <TableRowPanel {...panel} source={trainedOn.source} />)}
    </section>
  );
}

function TryModelPanel(props: TryPanelProps) {
  const { id, hidden, runId, currentData } = props;
  const instructionId = useId();
  const { data, model } = useRunModel(runId, currentData);
  const [picture, setPicture] = useState<Float32Array | null>(null);

  const guess = useMemo(() => (model.status === 'ready' && picture ? asGuess(model.model.predict(picture)) : null), [model, picture]);
  const what = data.classNoun === 'digits' ? 'a digit' : `one of the ${data.classes.length} ${data.classNoun}`;

  return (
    <div id={id} className="try-model__panel" hidden={hidden}>
      <p id={instructionId} className="try-model__instruction">
        Draw {what} in the black box with your mouse, finger or pen, big and in the middle. Your model guesses after each stroke.
        With the keyboard: the arrow keys draw from the middle, Enter asks your model.
      </p>
      <div className="try-model__layout">
        <div className="try-model__drawing">
          <DrawingPad describedBy={instructionId} onStroke={setPicture} blank={picture === null} />
          <div className="try-model__tools">
            <button type="button" className="button" onClick={() => setPicture(null)} disabled={picture === null}>
              Clear
            </button>
            {picture && <SeenPicture picture={picture} />}
          </div>
        </div>

        <ModelAnswer model={model} guess={guess} data={data} waiting={`Draw ${what} to see what your model thinks it is.`} />
      </div>
      {model.status === 'ready' && <LookInside model={model.model} picture={picture} />}
    </div>
  );
}

/**
 * The drawing surface: white strokes on black like MNIST's digits, drawn with pointer events
 * (mouse, touch and pen alike). Each finished stroke hands the 28×28 picture to `onStroke`.
 */
function DrawingPad(props: {
  describedBy: string;
  onStroke: (picture: Float32Array | null) => void;
  /** True while nothing is drawn (a new pad, or after Clear): the pad is painted black whenever it becomes so. */
  blank: boolean;
}) {
  const { describedBy, onStroke, blank } = props;
  const canvasRef = useRef<HTMLCanvasElement>(null);
  const lastPoint = useRef<{ x: number; y: number } | null>(null);
  const keyPen = useRef<{ x: number; y: number } | null>(null);

  const context = useCallback(() => canvasRef.current?.getContext('2d', { willReadFrequently: true }) ?? null, []);

  useEffect(() => {
    const pen = context();
    if (!blank || !pen) return;
    pen.fillStyle = '#000';
    pen.fillRect(0, 0, PAD_PIXELS, PAD_PIXELS);
    keyPen.current = null;
  }, [blank, context]);

  /** Where the pointer is in the pad's own pixels, whatever size the pad is shown at. */
  function padPoint(event: { clientX: number; clientY: number }): { x: number; y: number } {
    const box = canvasRef.current!.getBoundingClientRect();
    return { x: ((event.clientX - box.left) / box.width) * PAD_PIXELS, y: ((event.clientY - box.top) / box.height) * PAD_PIXELS };
  }

  function drawTo(point: { x: number; y: number }) {
    const pen = context();
    const from = lastPoint.current ?? point;
    if (!pen) return;
    pen.strokeStyle = '#fff';
    pen.lineWidth = PEN_WIDTH;
    pen.lineCap = 'round';
    pen.lineJoin = 'round';
    pen.beginPath();
    pen.moveTo(from.x, from.y);
    pen.lineTo(point.x, point.y);
    pen.stroke();
    lastPoint.current = point;
  }

  function start(event: PointerEvent<HTMLCanvasElement>) {
    if (event.pointerType === 'mouse' && event.button !== 0) return;
    event.preventDefault();
    event.currentTarget.setPointerCapture(event.pointerId);
    lastPoint.current = null;
    drawTo(padPoint(event));
  }

  function move(event: PointerEvent<HTMLCanvasElement>) {
    if (lastPoint.current === null) return;
    // A fast pen sends several positions per frame; drawing them all keeps curves round.
    const points = event.nativeEvent.getCoalescedEvents?.() ?? [];
    for (const point of points.length > 0 ? points : [event.nativeEvent]) drawTo(padPoint(point));
  }

  function end() {
    if (lastPoint.current === null) return;
    lastPoint.current = null;
    handOver();
  }

  function handOver() {
    const pen = context();
    if (!pen) return;
    onStroke(drawingToMnist(greyFromRgba(pen.getImageData(0, 0, PAD_PIXELS, PAD_PIXELS).data, PAD_PIXELS, PAD_PIXELS)));
  }

  /**
   * Drawing with the keyboard: each arrow key draws a short line from where the keyboard pen
   * is (the middle of a blank pad), and Enter asks the model. Coarse, but a student who cannot
   * use a pointer can still draw a digit and see the answer.
   */
  function key(event: KeyboardEvent<HTMLCanvasElement>) {
    const step = KEY_STEPS[event.key];
    if (event.key === 'Enter') {
      event.preventDefault();
      handOver();
      return;
    }
    if (!step) return;
    event.preventDefault();
    const from = keyPen.current ?? { x: PAD_PIXELS / 2, y: PAD_PIXELS / 2 };
    const to = { x: clampToPad(from.x + step.x * KEY_STEP_PIXELS), y: clampToPad(from.y + step.y * KEY_STEP_PIXELS) };
    lastPoint.current = from;
    drawTo(to);
    lastPoint.current = null;
    keyPen.current = to;
  }

  return (
    <canvas
      ref={canvasRef}
      className="try-model__pad"
      width={PAD_PIXELS}
      height={PAD_PIXELS}
      // It takes keys itself (arrows draw, Enter asks), like an application, not a picture.
      role="application"
      aria-roledescription="drawing pad"
      aria-label="Drawing pad"
      aria-describedby={describedBy}
      tabIndex={0}
      onKeyDown={key}
      onPointerDown={start}
      onPointerMove={move}
      onPointerUp={end}
      onPointerCancel={end}
    />
  );
}

/** The 28×28 picture the model is given, shown large with square pixels, so students see what it sees. */
function SeenPicture({ picture }: { picture: Float32Array }) {
  const image = useMemo(
    () => ({ width: PICTURE_SIZE, height: PICTURE_SIZE, levels: greyLevels(picture, { low: 0, high: 1 }), description: 'Your drawing as the model sees it: 28×28 pixels' }),
    [picture],
  );
  return (
    <figure className="try-model__seen">
      <GreyCanvas image={image} />
      <figcaption>What your model sees</figcaption>
    </figure>
  );
}
