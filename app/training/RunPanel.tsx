'use client';

import dynamic from 'next/dynamic';
import { useCallback, useEffect, useId, useMemo, useState } from 'react';
import { skipToken, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useSubscription } from '@trpc/tanstack-react-query';
import { METRIC_DEFINITIONS, metricLogName } from '../../blocks/catalog/training';
import { Icon } from '../components/Icons';
import type { SaveState } from '../lib/autosave';
import { formatRelativeTime } from '../lib/time';
import { describeApiError } from '../trpc/errors';
import { useTRPC } from '../trpc/react';
import { ConfusionMatrix } from './ConfusionMatrix';
import { DecisionMap } from './DecisionMap';
import { ModelMistakes } from './ModelMistakes';
import {
  applyRunEvent, chartPoints, describeStatus, formatEta, formatNumber, formatPercent, isFinished, newRunView,
  runViewFromStored, SERIES_COLORS, type RunView,
} from './progress';
import { TryModel } from './TryModel';

const MetricsChart = dynamic(() => import('./MetricsChart'), {
  ssr: false,
  loading: () => <div className="metrics__placeholder">Loading chart…</div>,
});

/**
 * The Train button of a training cell and what its runs did: live progress, the loss and
 * accuracy chart, a table of every epoch's figures, the result, the trained model's download
 * and the run history. The server trains what is saved, so Train saves first.
 */
export function RunPanel(props: {
  notebookId: string;
  cellId: string;
  /** How many epochs the blocks ask for, for the progress bar before the first event. */
  epochs: number;
  /** Why Train is not possible right now, or null when it is. */
  blockedReason: string | null;
  flushSave: () => Promise<SaveState>;
}) {
  const { notebookId, cellId } = props;
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const headingId = useId();
  const reasonId = useId();

  const runs = useQuery(trpc.run.list.queryOptions({ notebookId, cellId }));
  const [live, setLive] = useState<RunView | null>(null);
  const [selectedRunId, setSelectedRunId] = useState<string | null>(null);
  const [startError, setStartError] = useState<string | null>(null);
  const [starting, setStarting] = useState(false);

  const refreshRuns = useCallback(
    () => queryClient.invalidateQueries({ queryKey: trpc.run.list.queryKey({ notebookId, cellId }) }),
    [queryClient, trpc, notebookId, cellId],
  );

  // After a reload, pick up a run that is still queued or training and follow it live.
  const latest = runs.data?.[0];
  useEffect(() => {
    if (live === null && latest && !isFinished(runViewFromStored(latest))) setLive(runViewFromStored(latest));
  }, [latest, live]);

  const following = live !== null && !isFinished(live);
  const followedRunId = following ? live.runId : null;
  const events = useSubscription(
    trpc.run.events.subscriptionOptions(followedRunId ? { runId: followedRunId } : skipToken, {
      // A late event of a run we stopped following must not land on the new one.
      onData: (event) => setLive((view) => (view && view.runId === followedRunId ? applyRunEvent(view, event) : view)),
    }),
  );
  const connectionNote =
    following && events.status === 'error'
      ? `Lost the live progress: ${describeApiError(events.error).message}`
      : following && events.status === 'connecting' && live.progress > 0
        ? 'Connection lost. Reconnecting to see the progress…'
        : null;

  const liveFinished = live !== null && isFinished(live);
  useEffect(() => {
    if (liveFinished) void refreshRuns();
  }, [liveFinished, refreshRuns]);

  const start = useMutation(trpc.run.start.mutationOptions());
  const cancel = useMutation(trpc.run.cancel.mutationOptions());

  async function train() {
    setStartError(null);
    setStarting(true);
    try {
      // The server trains what is stored, so the blocks on screen must be saved first.
      const saved = await props.flushSave();
      if (saved.status !== 'saved') {
        setStartError(`Training did not start because your latest changes are not saved. ${saved.message ?? ''}`.trim());
        return;
      }
      const { runId, queuePosition } = await start.mutateAsync({ notebookId, cellId });
      setSelectedRunId(null);
      setLive(newRunView(runId, props.epochs, queuePosition));
      void refreshRuns();
    } catch (error) {
      setStartError(describeApiError(error).message);
    } finally {
      setStarting(false);
    }
  }

  function cancelRun() {
    if (!live) return;
    cancel.mutate(
      { runId: live.runId },
      {
        onSuccess: ({ status }) => setLive((view) => (view && view.runId === live.runId ? { ...view, status } : view)),
        onError: (error) => setStartError(`Could not cancel: ${describeApiError(error).message}`),
      },
    );
  }

  const blockedReason = following ? 'Training is running. Cancel it to change and train again.' : props.blockedReason;

  const history = runs.data ?? [];
  const shown: RunView | null = useMemo(() => {
    if (selectedRunId) {
      if (live?.runId === selectedRunId) return live;
      const stored = history.find((r) => r.id === selectedRunId);
      if (stored) return runViewFromStored(stored);
    }
    if (live) return live;
    return history[0] ? runViewFromStored(history[0]) : null;
  }, [selectedRunId, live, history]);

  return (
    <section className="training" aria-labelledby={headingId}>
      <h3 id={headingId} className="training__title">Train</h3>

      <div className="training__actions">
        {following ? (
          <button type="button" className="button button--danger-outline" onClick={cancelRun} disabled={cancel.isPending}>
            <Icon name="stop" /> Cancel
          </button>
        ) : (
          <button
            type="button"
            className="button button--primary"
            onClick={() => void train()}
            disabled={starting || blockedReason !== null}
            aria-describedby={blockedReason ? reasonId : undefined}
          >
            <Icon name="play" /> {starting ? 'Starting…' : 'Train'}
          </button>
        )}
        {blockedReason && !following && (
          <p id={reasonId} className="training__reason">{blockedReason}</p>
        )}
      </div>

      {startError && (
        <p role="alert" className="notice notice--error">
          {startError}
        </p>
      )}

      {runs.isError && (
        <p className="notice notice--error">Could not load earlier runs: {describeApiError(runs.error).message}</p>
      )}

      {connectionNote && <p className="notice notice--warning" role="status">{connectionNote}</p>}

      {shown && <RunDetails run={shown} live={shown === live && following} />}

      {history.length > 1 && (
        <details className="run-history">
          <summary>Run history ({history.length})</summary>
          <ol className="run-history__list" aria-label="Earlier runs">
            {history.map((run, index) => {
              const number = history.length - index;
              const isShown = shown?.runId === run.id;
              return (
                <li key={run.id}>
                  <button
                    type="button"
                    className="run-history__item"
                    aria-pressed={isShown}
                    onClick={() => setSelectedRunId(run.id)}
                  >
                    <span className="run-history__name">Run {number}</span>
                    <span className={`badge badge--${run.status}`}>{STATUS_WORDS[run.status]}</span>
                    <span className="run-history__acc">
                      {run.testAccuracy !== null ? formatPercent(run.testAccuracy) : '—'}
                    </span>
                    <span className="run-history__when">{formatRelativeTime(run.createdAt)}</span>
                  </button>
                </li>
              );
            })}
          </ol>
        </details>
      )}
    </section>
  );
}

const STATUS_WORDS: Record<RunView['status'], string> = {
  queued: 'waiting',
  running: 'training',
  succeeded: 'finished',
  failed: 'failed',
  cancelled: 'cancelled',
};

function RunDetails({ run, live }: { run: RunView; live: boolean }) {
  const points = useMemo(() => chartPoints(run), [run]);
  const running = run.status === 'running';
  return (
    <div className={`run run--${run.status}`}>
      <p className="run__status" role="status" aria-live="polite">
        <span className={`badge badge--${run.status}`}>{STATUS_WORDS[run.status]}</span>
        {describeStatus(run)}
      </p>
      {run.notes.length > 0 && (
        <ul className="run__notes" aria-label="Notes about this run">
          {run.notes.map((note) => (
            <li key={note}>{note}</li>
          ))}
        </ul>
      )}

      {(running || run.status === 'queued') && (
        <div className="run__progress">
          <progress aria-label="Training progress" max={1} value={running ? run.progress : undefined} />
          {running && (
            <p className="run__numbers">
              <span>Epoch {Math.max(1, run.epoch)} of {run.epochs}</span>
              {run.batchesPerEpoch > 0 && <span>batch {run.batch} of {run.batchesPerEpoch}</span>}
              {run.samplesPerSec !== null && <span>{formatNumber(run.samplesPerSec)} samples/s</span>}
              <span>{formatEta(run.etaSeconds)}</span>
            </p>
          )}
        </div>
      )}

      {run.testAccuracy !== null && (
        <p className="run__result">
          Test accuracy: <strong>{formatPercent(run.testAccuracy)}</strong>
          {run.testLoss !== null && <span className="run__result-detail">test loss {run.testLoss.toFixed(3)}</span>}
        </p>
      )}
      {run.status === 'succeeded' && <ConfusionMatrix runId={run.runId} />}

      {run.status === 'succeeded' && <ModelDownload runId={run.runId} />}

      {points.length > 0 ? (
        <figure className="metrics" aria-label="Loss and accuracy">
          <MetricsChart points={points} epochs={run.epochs} />
          <figcaption className="metrics__legend">
            {Object.entries(SERIES_COLORS)
              .filter(([series]) => points.some((p) => p.series === series))
              .map(([series, color]) => (
                <span key={series} className="metrics__key">
                  <span className="metrics__swatch" style={{ background: color }} aria-hidden="true" />
                  {series}
                </span>
              ))}
          </figcaption>
        </figure>
      ) : (
        live && <p className="hint">The loss and accuracy curves appear after the first batches.</p>
      )}

      <EpochTable run={run} />

      {run.status === 'succeeded' && <TryModel key={run.runId} runId={run.runId} />}
      {/* Keyed apart from TryModel: siblings with the same key are taken for one element. */}
      {run.status === 'succeeded' && <DecisionMap key={`map-${run.runId}`} runId={run.runId} />}
      {run.status === 'succeeded' && <ModelMistakes key={`mistakes-${run.runId}`} runId={run.runId} />}
    </div>
  );
}

/** Ratios between 0 and 1 read as percentages, like accuracy; errors as plain numbers. */
const PERCENT_METRICS = new Set(['precision', 'recall']);

/**
 * Every finished epoch's figures, as a table: the chart shows the trend, this the numbers,
 * including the metrics the training cell asked for (for the training rows and the
 * validation rows, as Keras's history names them).
 */
function EpochTable({ run }: { run: RunView }) {
  const rows = run.epochMetrics;
  if (rows.length === 0) return null;
  const metrics = METRIC_DEFINITIONS.filter((m) => rows.some((r) => r.extra?.[m.key] !== undefined || r.extra?.[metricLogName(m.key, true)] !== undefined));
  const ratio = (value: number | null | undefined) => (value === null || value === undefined || !Number.isFinite(value) ? '—' : formatPercent(value));
  const plain = (value: number | null | undefined) => (value === null || value === undefined || !Number.isFinite(value) ? '—' : value.toFixed(3));
  const show = (key: string, value: number | undefined) => (PERCENT_METRICS.has(key) ? ratio(value) : plain(value));
  const capital = (text: string) => text.charAt(0).toUpperCase() + text.slice(1);
  return (
    <div className="table-scroll epoch-table__scroll">
      <table className="epoch-table" aria-label="Figures per epoch">
        <thead>
          <tr>
            <th scope="col">Epoch</th>
            <th scope="col" className="num">Loss</th>
            <th scope="col" className="num">Accuracy</th>
            <th scope="col" className="num">Validation loss</th>
            <th scope="col" className="num">Validation accuracy</th>
            {metrics.flatMap((m) => [
              <th key={m.key} scope="col" className="num">{capital(m.label)}</th>,
              <th key={`val-${m.key}`} scope="col" className="num">Validation {m.label}</th>,
            ])}
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => (
            <tr key={r.epoch}>
              <th scope="row">{r.epoch}</th>
              <td className="num">{plain(r.loss)}</td>
              <td className="num">{ratio(r.accuracy)}</td>
              <td className="num">{plain(r.valLoss)}</td>
              <td className="num">{ratio(r.valAccuracy)}</td>
              {metrics.flatMap((m) => [
                <td key={m.key} className="num">{show(m.key, r.extra?.[m.key])}</td>,
                <td key={`val-${m.key}`} className="num">{show(m.key, r.extra?.[metricLogName(m.key, true)])}</td>,
              ])}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/**
 * TF.js's two files of a finished run, served by server/downloads.ts. Two plain links rather
 * than one button: browsers may block a second download started by the same click.
 */
function ModelDownload({ runId }: { runId: string }) {
  const base = `/api/runs/${encodeURIComponent(runId)}`;
  const noteId = useId();
  return (
    <div className="run__download">
      <a className="button" href={`${base}/model.json`} download="model.json" aria-describedby={noteId}>
        <Icon name="down" /> Download trained model (TF.js)
      </a>
      <a className="button" href={`${base}/weights.bin`} download="weights.bin" aria-describedby={noteId}>
        <Icon name="down" /> Download its weights
      </a>
      <p id={noteId} className="hint">
        Save <code>model.json</code> and <code>weights.bin</code> in the same folder, then load them in TF.js with{' '}
        <code>tf.loadLayersModel(&apos;model.json&apos;)</code>.
      </p>
    </div>
  );
}
