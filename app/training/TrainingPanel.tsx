'use client';

import dynamic from 'next/dynamic';
import { useCallback, useEffect, useId, useMemo, useState } from 'react';
import { skipToken, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useSubscription } from '@trpc/tanstack-react-query';
import { OPTIMIZERS, type TrainingSpec } from '../../blocks/spec/model-spec';
import type { ResolvedDataset } from '../../blocks/spec/notebook';
import { Icon } from '../components/Icons';
import type { SaveState } from '../notebook/autosave';
import { formatRelativeTime } from '../lib/time';
import { describeApiError } from '../trpc/errors';
import { useTRPC } from '../trpc/react';
import {
  applyRunEvent, chartPoints, describeStatus, formatEta, formatNumber, formatPercent, isFinished, newRunView,
  runViewFromStored, SERIES_COLORS, type RunView,
} from './progress';
import {
  LOSS_LABELS,
  NUMERIC_SETTINGS,
  OPTIMIZER_LABELS,
  datasetRefToValue,
  lossAfterDatasetChange,
  lossChoices,
  parseSetting,
  settingText,
  valueToDatasetRef,
  type DatasetChoice,
  type NumericSetting,
} from './settings';

const MetricsChart = dynamic(() => import('./MetricsChart'), {
  ssr: false,
  loading: () => <div className="metrics__placeholder">Loading chart…</div>,
});

export function TrainingPanel(props: {
  notebookId: string;
  cellId: string;
  training: TrainingSpec;
  /** The Dataset combobox's entries: built-in sets and the data cells above. */
  datasetChoices: DatasetChoice[];
  /** What the Dataset setting means now; decides which losses fit. */
  resolvedDataset: ResolvedDataset;
  /** Why the model cannot be trained yet, or null when it can. */
  modelProblem: string | null;
  onTrainingChange: (cellId: string, training: Partial<TrainingSpec>) => void;
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
  const [invalidSettings, setInvalidSettings] = useState<ReadonlySet<NumericSetting>>(() => new Set());

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

  const { onTrainingChange } = props;
  const onSettingsChange = useCallback((patch: Partial<TrainingSpec>) => onTrainingChange(cellId, patch), [onTrainingChange, cellId]);

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
      setLive(newRunView(runId, props.training.epochs, queuePosition));
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

  const blockedReason = following
    ? 'Training is running. Cancel it to change and train again.'
    : props.modelProblem ?? (invalidSettings.size > 0 ? 'Fix the training settings above first.' : null);

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
      <h3 id={headingId} className="training__title">Train this model</h3>
      <TrainingSettings
        training={props.training}
        datasetChoices={props.datasetChoices}
        resolvedDataset={props.resolvedDataset}
        disabled={following}
        onChange={onSettingsChange}
        onValidityChange={setInvalidSettings}
      />

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

function TrainingSettings(props: {
  training: TrainingSpec;
  datasetChoices: DatasetChoice[];
  resolvedDataset: ResolvedDataset;
  disabled: boolean;
  onChange: (patch: Partial<TrainingSpec>) => void;
  onValidityChange: (invalid: ReadonlySet<NumericSetting>) => void;
}) {
  const idPrefix = useId();
  const earlyStopping = props.training.earlyStopping ?? false;
  const [texts, setTexts] = useState<Record<NumericSetting, string>>(() => ({
    learningRate: settingText(props.training, 'learningRate'),
    batchSize: settingText(props.training, 'batchSize'),
    epochs: settingText(props.training, 'epochs'),
    patience: settingText(props.training, 'patience'),
    seed: settingText(props.training, 'seed'),
  }));
  const errors = useMemo(() => {
    const found: Partial<Record<NumericSetting, string>> = {};
    for (const field of Object.keys(texts) as NumericSetting[]) {
      // A hidden Patience box must not block training.
      if (field === 'patience' && !earlyStopping) continue;
      const parsed = parseSetting(field, texts[field]);
      if (!parsed.ok) found[field] = parsed.message;
    }
    return found;
  }, [texts, earlyStopping]);

  const { onValidityChange, onChange } = props;
  useEffect(() => {
    onValidityChange(new Set(Object.keys(errors) as NumericSetting[]));
  }, [errors, onValidityChange]);

  // A new dataset may not fit the chosen loss (binary crossentropy on ten digits): switch to its default.
  const losses = lossChoices(props.resolvedDataset);
  const fittingLoss = lossAfterDatasetChange(props.training.loss, props.resolvedDataset);
  useEffect(() => {
    if (fittingLoss !== props.training.loss) onChange({ loss: fittingLoss });
  }, [fittingLoss, props.training.loss, onChange]);

  function setNumber(field: NumericSetting, text: string) {
    setTexts((current) => ({ ...current, [field]: text }));
    const parsed = parseSetting(field, text);
    if (parsed.ok) props.onChange({ [field]: parsed.value });
  }

  function numberField(field: NumericSetting) {
    const setting = NUMERIC_SETTINGS[field];
    const id = `${idPrefix}-${field}`;
    const error = errors[field];
    return (
      <div className="field field--number" key={field}>
        <label htmlFor={id}>{setting.label}</label>
        <input
          id={id}
          type="number"
          inputMode={setting.step === '1' ? 'numeric' : 'decimal'}
          step={setting.step}
          value={texts[field]}
          aria-invalid={error ? true : undefined}
          aria-describedby={`${id}-note`}
          onChange={(event) => setNumber(field, event.target.value)}
        />
        <p id={`${id}-note`} className={error ? 'field__error' : 'field__help'}>
          {error ?? setting.help}
        </p>
      </div>
    );
  }

  return (
    <fieldset className="settings" disabled={props.disabled}>
      <legend className="visually-hidden">Training settings</legend>
      <div className="field field--choice">
        <label htmlFor={`${idPrefix}-dataset`}>Dataset</label>
        <select
          id={`${idPrefix}-dataset`}
          value={datasetRefToValue(props.training.dataset)}
          onChange={(event) => {
            const dataset = valueToDatasetRef(event.target.value);
            if (dataset) props.onChange({ dataset });
          }}
        >
          {props.datasetChoices.map((choice) => (
            <option key={choice.value} value={choice.value}>{choice.label}</option>
          ))}
        </select>
      </div>
      <div className="field field--choice">
        <label htmlFor={`${idPrefix}-optimizer`}>Optimizer</label>
        <select
          id={`${idPrefix}-optimizer`}
          value={props.training.optimizer}
          onChange={(event) => props.onChange({ optimizer: event.target.value as TrainingSpec['optimizer'] })}
        >
          {OPTIMIZERS.map((o) => (
            <option key={o} value={o}>{OPTIMIZER_LABELS[o]}</option>
          ))}
        </select>
      </div>
      {numberField('learningRate')}
      {numberField('batchSize')}
      {numberField('epochs')}
      <div className="field field--choice">
        <label htmlFor={`${idPrefix}-loss`}>Loss</label>
        <select
          id={`${idPrefix}-loss`}
          value={fittingLoss}
          onChange={(event) => props.onChange({ loss: event.target.value as TrainingSpec['loss'] })}
        >
          {losses.map((loss) => (
            <option key={loss} value={loss}>{LOSS_LABELS[loss]}</option>
          ))}
        </select>
      </div>
      {numberField('seed')}
      <div className="field field--check">
        <input
          id={`${idPrefix}-early`}
          type="checkbox"
          checked={earlyStopping}
          onChange={(event) => props.onChange({ earlyStopping: event.target.checked })}
        />
        <label htmlFor={`${idPrefix}-early`}>Stop early when the checking accuracy stops improving</label>
      </div>
      {earlyStopping && numberField('patience')}
    </fieldset>
  );
}
