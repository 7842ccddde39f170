'use client';

import { useCallback, useEffect, useMemo, useRef, type KeyboardEvent, type PointerEvent } from 'react';
import { GreyCanvas } from './GreyCanvas';
import { drawingToMnist, greyFromRgba, PICTURE_SIZE, type Ink } from './mnist-drawing';
import { greyLevels } from './model-insides';

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
 * The drawing surface: strokes the way the data's pictures are (MNIST's white on black, or
 * black on white), drawn with pointer events (mouse, touch and pen alike). Each finished
 * stroke hands the 28×28 picture, made the data's way round, to `onStroke`.
 */
export function DrawingPad(props: {
  describedBy: string;
  onStroke: (picture: Float32Array | null) => void;
  /** True while nothing is drawn (a new pad, or after Clear): the pad is painted bare whenever it becomes so. */
  blank: boolean;
  ink: Ink;
}) {
  const { describedBy, onStroke, blank, ink } = props;
  const [paper, inkColour] = ink === 'light-on-dark' ? ['#000', '#fff'] : ['#fff', '#000'];
  const canvasRef = useRef<HTMLCanvasElement>(null);
  const lastPoint = useRef<{ x: number; y: number } | null>(null);
  const keyPen = useRef<{ x: number; y: number } | null>(null);

  const context = useCallback(() => canvasRef.current?.getContext('2d', { willReadFrequently: true }) ?? null, []);

  useEffect(() => {
    const pen = context();
    if (!blank || !pen) return;
    pen.fillStyle = paper;
    pen.fillRect(0, 0, PAD_PIXELS, PAD_PIXELS);
    keyPen.current = null;
  }, [blank, context, paper]);

  /** Where the pointer is in the pad's own pixels, whatever size the pad is shown at. */
  function padPoint(event: { clientX: number; clientY: number }): { x: number; y: number } {
    const box = canvasRef.current!.getBoundingClientRect();
    return { x: ((event.clientX - box.left) / box.width) * PAD_PIXELS, y: ((event.clientY - box.top) / box.height) * PAD_PIXELS };
  }

  function drawTo(point: { x: number; y: number }) {
    const pen = context();
    const from = lastPoint.current ?? point;
    if (!pen) return;
    pen.strokeStyle = inkColour;
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
    onStroke(drawingToMnist(greyFromRgba(pen.getImageData(0, 0, PAD_PIXELS, PAD_PIXELS).data, PAD_PIXELS, PAD_PIXELS, ink), ink));
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
      className={ink === 'light-on-dark' ? 'try-model__pad' : 'try-model__pad try-model__pad--light'}
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
export function SeenPicture({ picture }: { picture: Float32Array }) {
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
