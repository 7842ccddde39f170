'use client';

import { useId, useState } from 'react';
import { PreviewTable } from './DataPreview';
import { importCsvFile, previewCsvFile, suggestSettings, type CsvPreview, type ImportSettings, type UploadedDataset } from './upload';

/** Pick a CSV file, look at it, choose the label and features, then import it as a dataset. */
export function CsvUpload({ onImported }: { onImported: (dataset: UploadedDataset) => void }) {
  const id = useId();
  const [file, setFile] = useState<File | null>(null);
  const [preview, setPreview] = useState<CsvPreview | null>(null);
  const [settings, setSettings] = useState<ImportSettings | null>(null);
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);
  // A new key empties the file input after an import, so the same file can be picked again.
  const [inputKey, setInputKey] = useState(0);

  async function choose(chosen: File | undefined) {
    setProblem(null);
    setPreview(null);
    setSettings(null);
    setFile(chosen ?? null);
    if (!chosen) return;
    setBusy(true);
    try {
      const result = await previewCsvFile(chosen);
      setPreview(result);
      setSettings(suggestSettings(result, chosen.name));
    } catch (error) {
      setProblem(error instanceof Error ? error.message : String(error));
    } finally {
      setBusy(false);
    }
  }

  async function submit() {
    if (!file || !settings) return;
    setBusy(true);
    setProblem(null);
    try {
      onImported(await importCsvFile(file, settings));
      setPreview(null);
      setSettings(null);
      setFile(null);
      setInputKey((k) => k + 1);
    } catch (error) {
      setProblem(error instanceof Error ? error.message : String(error));
    } finally {
      setBusy(false);
    }
  }

  const update = (patch: Partial<ImportSettings>) => setSettings((s) => (s ? { ...s, ...patch } : s));
  const splitTotal = settings ? settings.split.train + settings.split.validation + settings.split.test : 100;

  return (
    <div className="csv-upload">
      <div className="field">
        <label htmlFor={`${id}-file`}>Upload a CSV file</label>
        <input key={inputKey} id={`${id}-file`} type="file" accept=".csv,text/csv" disabled={busy} onChange={(event) => void choose(event.target.files?.[0])} />
      </div>
      {busy && <p role="status">Reading the file…</p>}
      {problem && (
        <p role="alert" className="field__error">
          {problem}
        </p>
      )}
      {preview && settings && (
        <form
          className="csv-upload__form"
          aria-label="Import settings"
          onSubmit={(event) => {
            event.preventDefault();
            void submit();
          }}
        >
          <PreviewTable
            caption={`The first rows of your file (${preview.rowCount} in all)`}
            columns={preview.columns.map((c) => `${c.name} (${c.type === 'number' ? 'numbers' : 'categories'})`)}
            rows={preview.rows.slice(0, 8)}
          />
          <div className="field">
            <label htmlFor={`${id}-name`}>Dataset name</label>
            <input id={`${id}-name`} value={settings.name} maxLength={100} onChange={(e) => update({ name: e.target.value })} />
          </div>
          <div className="field">
            <label htmlFor={`${id}-label`}>Label column (what the network should predict)</label>
            <select
              id={`${id}-label`}
              value={settings.label}
              onChange={(e) => update({ label: e.target.value, features: settings.features.filter((f) => f.column !== e.target.value) })}
            >
              {preview.columns.map((c) => (
                <option key={c.name} value={c.name}>{c.name}</option>
              ))}
            </select>
          </div>
          <fieldset className="csv-upload__features">
            <legend>Feature columns (what the network looks at)</legend>
            {preview.columns
              .filter((c) => c.name !== settings.label)
              .map((c) => {
                const chosen = settings.features.find((f) => f.column === c.name);
                return (
                  <div key={c.name} className="csv-upload__feature">
                    <label>
                      <input
                        type="checkbox"
                        checked={Boolean(chosen)}
                        onChange={(e) =>
                          update({
                            features: e.target.checked
                              ? [...settings.features, { column: c.name, as: c.type }]
                              : settings.features.filter((f) => f.column !== c.name),
                          })
                        }
                      />{' '}
                      {c.name}
                    </label>
                    <select
                      aria-label={`Use ${c.name} as`}
                      value={chosen?.as ?? c.type}
                      disabled={!chosen}
                      onChange={(e) =>
                        update({ features: settings.features.map((f) => (f.column === c.name ? { ...f, as: e.target.value as 'number' | 'category' } : f)) })
                      }
                    >
                      <option value="number">numbers</option>
                      <option value="category">categories</option>
                    </select>
                  </div>
                );
              })}
          </fieldset>
          <div className="field">
            <label htmlFor={`${id}-norm`}>Normalisation</label>
            <select id={`${id}-norm`} value={settings.normalization} onChange={(e) => update({ normalization: e.target.value as ImportSettings['normalization'] })}>
              <option value="standardize">Rescale numbers (mean 0, spread 1) — learns faster</option>
              <option value="none">Keep numbers as they are</option>
            </select>
          </div>
          <fieldset className="csv-upload__split">
            <legend>Split (percent of rows)</legend>
            {(['train', 'validation', 'test'] as const).map((part) => (
              <div className="field field--number" key={part}>
                <label htmlFor={`${id}-${part}`}>{part === 'train' ? 'Training' : part === 'validation' ? 'Checking' : 'Final test'}</label>
                <input
                  id={`${id}-${part}`}
                  type="number"
                  min={0}
                  max={98}
                  value={settings.split[part]}
                  onChange={(e) => update({ split: { ...settings.split, [part]: Math.round(Number(e.target.value)) || 0 } })}
                />
              </div>
            ))}
            <div className="field field--number">
              <label htmlFor={`${id}-seed`}>Split seed</label>
              <input id={`${id}-seed`} type="number" min={0} value={settings.seed} onChange={(e) => update({ seed: Math.max(0, Math.round(Number(e.target.value)) || 0) })} />
            </div>
          </fieldset>
          {splitTotal !== 100 && <p className="field__error">The three parts add up to {splitTotal}%; make them add up to 100%.</p>}
          <button type="submit" className="button button--primary" disabled={busy || splitTotal !== 100 || settings.features.length === 0}>
            Import dataset
          </button>
        </form>
      )}
    </div>
  );
}
