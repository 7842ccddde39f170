'use client';

import { useId, useState } from 'react';
import { PictureSettingsFields } from './PictureSettingsFields';
import { UploadProgressBar } from './UploadProgressBar';
import { importPictureZip, suggestPictureSettings, type PictureSettings, type UploadedDataset } from './upload';
import { useUpload } from './use-upload';

/** Pick a zip of pictures (one folder per class), choose the size and colour, then import it as a dataset. */
export function PictureZipUpload({ onImported }: { onImported: (dataset: UploadedDataset) => void }) {
  const id = useId();
  const [file, setFile] = useState<File | null>(null);
  const [settings, setSettings] = useState<PictureSettings | null>(null);
  const { progress, problem, setProblem, busy, send } = useUpload();
  // A new key empties the file input after an import, so the same file can be picked again.
  const [inputKey, setInputKey] = useState(0);

  function choose(chosen: File | undefined) {
    setProblem(null);
    setFile(chosen ?? null);
    setSettings(chosen ? suggestPictureSettings(chosen.name) : null);
  }

  async function submit() {
    if (!file || !settings) return;
    const imported = await send(file.size, (onProgress) => importPictureZip(file, settings, onProgress));
    if (!imported) return;
    onImported(imported);
    setFile(null);
    setSettings(null);
    setInputKey((k) => k + 1);
  }

  return (
    <div className="csv-upload">
      <div className="field">
        <label htmlFor={`${id}-file`}>Upload pictures (zip, one folder per class)</label>
        <input key={inputKey} id={`${id}-file`} type="file" accept=".zip,application/zip" disabled={busy} onChange={(event) => choose(event.target.files?.[0])} />
        <p className="field__help">For example a folder “cats” and a folder “dogs”, each full of .png or .jpg pictures, zipped together.</p>
      </div>
      {progress && <UploadProgressBar progress={progress} />}
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
          <PictureSettingsFields idPrefix={id} settings={settings} onChange={(patch) => setSettings({ ...settings, ...patch })} />
          <button type="submit" className="button button--primary" disabled={busy || settings.name.trim() === ''}>
            Import pictures
          </button>
        </form>
      )}
    </div>
  );
}
