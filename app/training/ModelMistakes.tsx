'use client';

import { useContext, useEffect, useId, useMemo, useState } from 'react';
import { useQuery } from '@tanstack/react-query';
import { isPlaygroundDatasetId, type DatasetShapeInfo } from '../../blocks/format/datasets';
import { readTableRow } from '../../blocks/format/table-inputs';
import { PixelPicture } from '../data/DataPreview';
import { describeApiError } from '../trpc/errors';
import { useTRPC } from '../trpc/react';
import type { RouterOutputs } from '../trpc/types';
import { useRunModel } from './model-answer';
import { formatShare } from './prediction';
import {
  classChoices, describeExamples, describeMistake, describeMistakeCount, findMistakes, mistakesOfClass, MISTAKES_SHOWN, noMistakesWords, type Mistake,
} from './mistakes';
import type { TrainedModel } from './trained-model';
import { TrainedOnData } from './TryModel';
import './model-mistakes.css';

type Examples = RouterOutputs['run']['checkingExamples'];

/** Examples asked about in one predictBatch call; the page gets a breath between calls. */
const PREDICT_BATCH = 50;

/**
 * "Where your model goes wrong": a finished run's model answers, in this browser, for the
 * examples that run was checked on (the rows its validation split held out, from the data it
 * trained on; never the test split: it grades assignments), and the examples
 * it gets wrong are shown with what they really are and what it said. Pictures and tables;
 * not the generated 2-D sets, whose decision map shows the wrong points already. Nothing
 * loads until the student asks.
 */
export function ModelMistakes({ runId }: { runId: string }) {
  const trainedOn = useContext(TrainedOnData);
  const trpc = useTRPC();
  // The same query as the run's confusion matrix: it names the data the run trained on, when kept.
  const run = useQuery(trpc.run.get.queryOptions({ runId }));
  const [asked, setAsked] = useState(false);
  const headingId = useId();
  if (!trainedOn || run.isPending) return null;
  const { info } = trainedOn;
  const source = run.data?.dataSource ?? trainedOn.source;
  if (source.kind === 'builtIn' && isPlaygroundDatasetId(source.id)) return null;
  // Pictures (height, width, channels) or table rows; other shapes have no way to be shown.
  if (info.inputShape.length !== 3 && info.inputShape.length !== 1) return null;
  return (
    <section className="mistakes" aria-labelledby={headingId}>
      <h4 id={headingId} className="mistakes__title">Where your model goes wrong</h4>
      {asked ? (
        <MistakesPanel runId={runId} currentData={info} />
      ) : (
        <button type="button" className="button" onClick={() => setAsked(true)}>
          Show the examples it gets wrong
        </button>
      )}
    </section>
  );
}

type Answers = { status: 'asking'; done: number } | { status: 'done'; mistakes: Mistake[] } | { status: 'failed'; message: string };

function MistakesPanel({ runId, currentData }: { runId: string; currentData: DatasetShapeInfo }) {
  const trpc = useTRPC();
  // Exactly the examples the run was checked on, from the data it trained on (not the cell's data now).
  const examples = useQuery({ ...trpc.run.checkingExamples.queryOptions({ runId }), staleTime: Infinity });
  const { data, model } = useRunModel(runId, currentData);
  const dataChanged = examples.data !== undefined && examples.data.classes.join('\n') !== data.classes.join('\n');
  const answers = useAnswers(model.status === 'ready' && examples.data && !dataChanged ? model.model : null, examples.data);

  if (examples.isError) return <p role="alert" className="notice notice--error">Could not load the checking examples: {describeApiError(examples.error).message}</p>;
  if (model.status === 'failed') return <p role="alert" className="notice notice--error">{model.message}</p>;
  if (dataChanged) {
    return <p className="notice notice--warning">This run trained on other data than the cell has now. Press Train to see where a model of this data goes wrong.</p>;
  }
  if (!examples.data || model.status === 'loading') return <p role="status">Loading your trained model and the checking examples…</p>;
  if (answers.status === 'failed') return <p role="alert" className="notice notice--error">{answers.message}</p>;
  const total = exampleCount(examples.data);
  if (answers.status === 'asking') return <p role="status">Asking your model about {total} examples… ({answers.done} done)</p>;
  return <MistakesGallery examples={examples.data} mistakes={answers.mistakes} dataName={currentData.name} />;
}

const exampleCount = (examples: Examples) => (examples.kind === 'pictures' ? examples.pictures.length : examples.rows.length);

/** Bytes of base64 text, as the server sends a picture's levels. */
function levelsOf(base64: string): Uint8Array {
  const text = atob(base64);
  return Uint8Array.from(text, (char) => char.charCodeAt(0));
}

/**
 * The model's answers for every example, asked a batch at a time with a pause between
 * batches, so the page keeps answering while a picture model works through 200 examples.
 */
function useAnswers(model: TrainedModel | null, examples: Examples | undefined): Answers {
  const [answers, setAnswers] = useState<Answers>({ status: 'asking', done: 0 });
  useEffect(() => {
    if (!model || !examples) return;
    let cancelled = false;
    const size = examples.inputShape.reduce((a, b) => a * b, 1);
    // The model's inputs as the trainer gave them: a picture's levels / 255, a row's numbers as stored.
    const inputs =
      examples.kind === 'pictures' ? examples.pictures.map((p) => Float32Array.from(levelsOf(p.levels), (v) => v / 255)) : examples.rows.map((r) => Float32Array.from(r.values));
    const trueClasses = examples.kind === 'pictures' ? examples.pictures.map((p) => p.classIndex) : examples.rows.map((r) => r.classIndex);
    const classCount = examples.classes.length;
    void (async () => {
      const outputs = new Float32Array(inputs.length * classCount);
      try {
        for (let start = 0; start < inputs.length; start += PREDICT_BATCH) {
          const batch = inputs.slice(start, start + PREDICT_BATCH);
          const laid = new Float32Array(batch.length * size);
          batch.forEach((input, i) => laid.set(input, i * size));
          outputs.set(model.predictBatch(laid, batch.length), start * classCount);
          if (cancelled) return;
          setAnswers({ status: 'asking', done: start + batch.length });
          await new Promise((resolve) => setTimeout(resolve, 0));
        }
        if (!cancelled) setAnswers({ status: 'done', mistakes: findMistakes(outputs, classCount, trueClasses) });
      } catch (error) {
        if (!cancelled) setAnswers({ status: 'failed', message: `Your model could not answer for the checking examples (${error instanceof Error ? error.message : String(error)}).` });
      }
    })();
    return () => {
      cancelled = true;
    };
  }, [model, examples]);
  return answers;
}

function MistakesGallery({ examples, mistakes, dataName }: { examples: Examples; mistakes: Mistake[]; dataName: string }) {
  const [trueClass, setTrueClass] = useState<number | null>(null);
  const filterId = useId();
  const total = exampleCount(examples);
  const shown = useMemo(() => mistakesOfClass(mistakes, trueClass), [mistakes, trueClass]);
  const choices = useMemo(() => classChoices(examples.classes, mistakes), [examples.classes, mistakes]);
  const about = <p className="hint">{describeExamples(examples.split, total, examples.splitSize, dataName)}</p>;
  if (mistakes.length === 0) {
    return (
      <>
        <p role="status" className="mistakes__summary">{noMistakesWords(total, examples.split)}</p>
        {about}
      </>
    );
  }
  const ofClass = trueClass === null ? mistakes.length : mistakes.filter((m) => m.trueClass === trueClass).length;
  return (
    <>
      <p role="status" className="mistakes__summary">{describeMistakeCount(mistakes.length, total, examples.split)}</p>
      {about}
      <div className="mistakes__filter">
        <label htmlFor={filterId}>Examples that are really</label>
        <select id={filterId} value={trueClass ?? ''} onChange={(event) => setTrueClass(event.target.value === '' ? null : Number(event.target.value))}>
          <option value="">any class ({mistakes.length} wrong)</option>
          {choices.map((choice) => (
            <option key={choice.classIndex} value={choice.classIndex}>
              {choice.label}
            </option>
          ))}
        </select>
      </div>
      <p className="hint">
        {ofClass > MISTAKES_SHOWN ? `The ${MISTAKES_SHOWN} mistakes your model was surest of (${ofClass} in all):` : 'Surest mistakes first:'}
      </p>
      {examples.kind === 'pictures' ? (
        <ul className="mistakes__list" aria-label="Examples your model gets wrong">
          {shown.map((mistake) => (
            <li key={mistake.index} className="mistakes__item">
              <WrongPicture examples={examples} mistake={mistake} />
            </li>
          ))}
        </ul>
      ) : (
        <WrongRows examples={examples} mistakes={shown} />
      )}
    </>
  );
}

function WrongPicture({ examples, mistake }: { examples: Extract<Examples, { kind: 'pictures' }>; mistake: Mistake }) {
  const [height, width, channels] = examples.inputShape as [number, number, number];
  const levels = examples.pictures[mistake.index]!.levels;
  const pixels = useMemo(() => levelsOf(levels), [levels]);
  const sentence = describeMistake(examples.classes, mistake);
  return (
    <figure className="mistakes__picture">
      <PixelPicture pixels={pixels} width={width} height={height} channels={channels} label={`Example ${mistake.index + 1}`} />
      <figcaption>{sentence}</figcaption>
    </figure>
  );
}

/** A table's wrong rows as one small table: what each really is, what the model said, and the row's values as the file has them. */
function WrongRows({ examples, mistakes }: { examples: Extract<Examples, { kind: 'table' }>; mistakes: Mistake[] }) {
  const rows = mistakes.map((mistake) => ({ mistake, cells: readTableRow(examples.encodings, examples.rows[mistake.index]!.values) }));
  const columns = rows[0]?.cells.map((cell) => cell.column) ?? [];
  const name = (index: number) => examples.classes[index] ?? `class ${index}`;
  return (
    <div className="table-scroll mistakes__scroll" role="region" aria-label="Rows your model gets wrong" tabIndex={0}>
      <table className="mistakes__table">
        <caption>Rows your model gets wrong</caption>
        <thead>
          <tr>
            <th scope="col">Really</th>
            <th scope="col">Your model said</th>
            {columns.map((column) => (
              <th key={column} scope="col">{column}</th>
            ))}
          </tr>
        </thead>
        <tbody>
          {rows.map(({ mistake, cells }) => (
            <tr key={mistake.index}>
              <th scope="row">{name(mistake.trueClass)}</th>
              <td>
                {name(mistake.guessedClass)} ({formatShare(mistake.sureness)} sure)
              </td>
              {cells.map((cell) => (
                <td key={cell.column} className="num">{cell.value}</td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
