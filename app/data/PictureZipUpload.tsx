'use client';

import { useId, useState } from 'react';
import { importPictureZip, suggestPictureSettings, type PictureSettings, type UploadedDataset } from './upload';

/** Pick a zip of pictures (one folder per class), choose the size and colour, then import it as a dataset. */
export function PictureZipUpload({ onImported }: { onImported: (dataset: UploadedDataset) => void }) {
  const id = useId();
  const [file, setFile] = useState<File | null>(null);
  const [settings, setSettings] = useState<PictureSettings | null>(null);
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);
  // A new key empties the file input after an import, so the same file can be picked again.
  const [inputKey, setInputKey] = useState(0);

  function choose(chosen: File | undefined) {
    setProblem(null);
    setFile(chosen ?? null);
    setSettings(chosen ? suggestPictureSettings(chosen.name) : null);
  }

  async function submit() {
    if (!file || !settings) return;
    setBusy(true);
    setProblem(null);
    try {
      onImported(await importPictureZip(file, settings));
      setFile(null);
      setSettings(null);
      setInputKey((k) => k + 1);
    } catch (error) {
      setProblem(error instanceof Error ? error.message : String(error));
    } finally {
      setBusy(false);
    }
  }

  const update = (patch: Partial<PictureSettings>) => setSettings((s) => (s ? { ...s, ...patch } : s));

  return (
    <div className="csv-upload">
      <div className="field">
        <label htmlFor={`${id}-file`}>Upload pictures (zip, one folder per class)</label>
        <input key={inputKey} id={`${id}-file`} type="file" accept=".zip,application/zip" disabled={busy} onChange={(event) => choose(event.target.files?.[0])} />
        <p className="field__help">For example a folder “cats” and a folder “dogs”, each full of .png or .jpg pictures, zipped together.</p>
      </div>
      {busy && <p role="status">Unpacking and resizing the pictures…</p>}
      {problem && (
        <p role="alert" className="field__error">
          {problem}
        </p>
      )}
      {file && settings && (
        <form
          className="csv-upload__form"
          aria-label="Picture import settings"
          onSubmit={(event) => {
            event.preventDefault();
            void submit();
          }}
        >
          <div className="field">
            <label htmlFor={`${id}-name`}>Dataset name</label>
            <input id={`${id}-name`} value={settings.name} maxLength={100} onChange={(e) => update({ name: e.target.value })} />
          </div>
          <div className="field">
            <label htmlFor={`${id}-size`}>Picture size (every picture is resized to this)</label>
            <select id={`${id}-size`} value={settings.size} onChange={(e) => update({ size: Number(e.target.value) as PictureSettings['size'] })}>
              <option value={28}>28 × 28 pixels (like MNIST, fastest)</option>
              <option value={32}>32 × 32 pixels</option>
              <option value={64}>64 × 64 pixels (more detail, slower)</option>
            </select>
          </div>
          <div className="field">
            <label htmlFor={`${id}-color`}>Colour</label>
            <select id={`${id}-color`} value={settings.color} onChange={(e) => update({ color: e.target.value as PictureSettings['color'] })}>
              <option value="grayscale">Grey (1 channel)</option>
              <option value="rgb">Colour (3 channels: red, green, blue)</option>
            </select>
          </div>
          <button type="submit" className="button button--primary" disabled={busy || settings.name.trim() === ''}>
            Import pictures
          </button>
        </form>
      )}
    </div>
  );
}
