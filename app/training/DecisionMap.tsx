'use client';

import { useContext, useEffect, useId, useMemo, useRef } from 'react';
import { useQuery } from '@tanstack/react-query';
import { BUILT_IN_DATASETS, isPlaygroundDatasetId, type DataSource } from '../../blocks/format/datasets';
import { classColor, classColorName } from '../lib/class-colors';
import { useNearViewport } from '../lib/use-near-viewport';
import { describeApiError } from '../trpc/errors';
import { useTRPC } from '../trpc/react';
import { describeMap, GRID_STEPS, gridPoints, mapRange, readMap, squareColor, type DecisionMap as Map, type MapPoint } from './decision-map';
import type { TrainedModel } from './trained-model';
import { TrainedOnData } from './TryModel';
import { useTrainedModel } from './use-trained-model';
import './decision-map.css';

/** The canvas's own pixels; shown at any width up to this, so that it fits a 390 px phone. */
const CANVAS_PIXELS = 480;
/** A data point's radius in the canvas's pixels. */
const POINT_RADIUS = 4;

/**
 * "What your model says everywhere": a finished run's model asked about every point of the
 * plane around the data, as the TensorFlow Playground shows it, with the training and checking
 * points on top (never the test split: the data cell's preview, which leaves it out). Drawn
 * without a click once the section nears the screen: the networks for these sets are tiny (one
 * batch of 3,600 points takes milliseconds), and the map is the lesson of the Playground sets;
 * TF.js and the model load only then, never with the page.
 */
export function DecisionMap({ runId }: { runId: string }) {
  const current = useContext(TrainedOnData)?.source;
  const trpc = useTRPC();
  // The same query as the run's confusion matrix: it names the data the run trained on.
  const run = useQuery(trpc.run.get.queryOptions({ runId }));
  // The points the run trained on, with the size, noise and seed they had then (the cell may have
  // changed since); a run from before that was kept with it has only the cell's data as it is now.
  const kept = run.data?.dataSource ?? null;
  const source = kept ?? (run.isPending ? undefined : current);
  // Drawn only for the generated 2-D sets (circle, XOR, …).
  if (source?.kind !== 'builtIn' || !isPlaygroundDatasetId(source.id)) return null;
  return <DecisionMapSection runId={runId} source={source} trainedClasses={kept ? undefined : run.data?.confusionMatrix?.classes} />;
}

function DecisionMapSection(props: { runId: string; source: Extract<DataSource, { kind: 'builtIn' }>; trainedClasses: string[] | undefined }) {
  const { runId, source, trainedClasses } = props;
  const info = BUILT_IN_DATASETS[source.id];
  const headingId = useId();
  const [sectionRef, near] = useNearViewport<HTMLElement>();
  const trpc = useTRPC();
  // Only for a run that did not keep its data: the run's class names (kept with its confusion
  // matrix) tell whether the cell's data has changed to another set since, whose points would
  // not fit this model's answers.
  const dataChanged = trainedClasses !== undefined && trainedClasses.join('\n') !== info.classes.join('\n');
  // The preview a data cell with these options shows: their training and checking points, no test point.
  const preview = useQuery({ ...trpc.dataset.preview.queryOptions({ source }), staleTime: Infinity, enabled: near });
  const model = useTrainedModel(runId, near && !dataChanged ? info : null);

  const points = useMemo<MapPoint[] | null>(() => {
    if (preview.data?.kind !== 'scatter') return null;
    return preview.data.points.map((p) => ({ x: p.x, y: p.y, classIndex: info.classes.indexOf(p.label) }));
  }, [preview.data, info.classes]);
  const map = useMemo(() => (model.status === 'ready' && points ? askEverywhere(model.model, points, info.classes.length) : null), [model, points, info.classes.length]);
  const sentence = map && points ? describeMap(map, points, info.classes) : null;

  return (
    <section ref={sectionRef} className="decision-map" aria-labelledby={headingId}>
      <h4 id={headingId} className="decision-map__title">Decision map: what your model says everywhere</h4>
      <p className="decision-map__how hint">
        Your model answers for every spot of the plane around the {info.name} points. Each colour shows the class it picks there: strong
        where it is sure, pale where it is torn. The dots are the training and checking points, in the colour of their real class.
      </p>
      {dataChanged ? (
        <p className="notice notice--warning">
          This run trained on other data than the {info.name} points the cell has now. Press Train to see the map for them.
        </p>
      ) : preview.isError ? (
        <p role="alert" className="notice notice--error">Could not load the points this run trained on: {describeApiError(preview.error).message}</p>
      ) : model.status === 'failed' ? (
        <p role="alert" className="notice notice--error">{model.message}</p>
      ) : map && points && sentence ? (
        <figure className="decision-map__figure">
          <MapCanvas map={map} points={points} label={`Decision map of ${info.name}. ${sentence}`} />
          <figcaption>
            <ul className="decision-map__legend" aria-label="Colours of the map">
              {info.classes.map((name, i) => (
                <li key={name}>
                  <span className="decision-map__swatch" style={{ background: classColor(i) }} aria-hidden="true" />
                  {classColorName(i)}: “{name}”
                </li>
              ))}
              <li>
                <span className="decision-map__swatch decision-map__swatch--torn" aria-hidden="true" />
                pale: not sure
              </li>
            </ul>
            <p className="decision-map__sentence">{sentence}</p>
            {map.softmaxed && <p className="hint">Your model&apos;s last layer has no softmax, so softmax turned its outputs into how sure it is.</p>}
          </figcaption>
        </figure>
      ) : (
        <p role="status" className="decision-map__loading">Drawing your model&apos;s map…</p>
      )}
    </section>
  );
}

/** The model's answers for the whole grid, asked in one batch. */
function askEverywhere(model: TrainedModel, points: readonly MapPoint[], classCount: number): Map {
  const range = mapRange(points);
  const outputs = model.predictBatch(gridPoints(range, GRID_STEPS), GRID_STEPS * GRID_STEPS);
  return readMap(outputs, classCount, range, GRID_STEPS);
}

/**
 * The map as a picture: one pixel per square, enlarged with smoothing (soft edges between the
 * classes, as in the Playground), then the points on top, each ringed in white so that it shows
 * on a ground of its own colour.
 */
function MapCanvas({ map, points, label }: { map: Map; points: readonly MapPoint[]; label: string }) {
  const canvasRef = useRef<HTMLCanvasElement>(null);
  useEffect(() => {
    const context = canvasRef.current?.getContext('2d');
    if (!context) return;
    const squares = document.createElement('canvas');
    squares.width = map.steps;
    squares.height = map.steps;
    const squaresContext = squares.getContext('2d');
    if (!squaresContext) return;
    const image = squaresContext.createImageData(map.steps, map.steps);
    for (let i = 0; i < map.classes.length; i++) image.data.set([...squareColor(map.classes[i]!, map.certainty[i]!), 255], i * 4);
    squaresContext.putImageData(image, 0, 0);
    context.imageSmoothingEnabled = true;
    context.imageSmoothingQuality = 'high';
    context.drawImage(squares, 0, 0, CANVAS_PIXELS, CANVAS_PIXELS);

    const span = map.range.max - map.range.min;
    context.lineWidth = 1.5;
    context.strokeStyle = '#ffffff';
    for (const p of points) {
      context.beginPath();
      context.arc(((p.x - map.range.min) / span) * CANVAS_PIXELS, ((map.range.max - p.y) / span) * CANVAS_PIXELS, POINT_RADIUS, 0, 2 * Math.PI);
      context.fillStyle = classColor(p.classIndex);
      context.fill();
      context.stroke();
    }
  }, [map, points]);
  return <canvas ref={canvasRef} className="decision-map__canvas" width={CANVAS_PIXELS} height={CANVAS_PIXELS} role="img" aria-label={label} />;
}
