'use client';

import { useId, useState } from 'react';
import { PictureSettingsFields } from './PictureSettingsFields';
import { UploadProgressBar } from './UploadProgressBar';
import { importPicturesByClass, problemWithPickedClasses, suggestPictureSettings, type PictureSettings, type UploadedDataset } from './upload';
import { useUpload } from './use-upload';

interface PickedClass {
  /** Stable across removals, so React keeps each row's file input with its class. */
  key: number;
  name: string;
  files: File[];
}

const emptyClass = (key: number): PickedClass => ({ key, name: '', files: [] });

/**
 * Pictures without making a zip: name a class, choose its pictures (from any folders, in as
 * many goes as needed), repeat for each class. Sent as one upload; the server checks and
 * resizes them exactly like a zip's pictures.
 */
export function PicturesByClassUpload({ onImported }: { onImported: (dataset: UploadedDataset) => void }) {
  const id = useId();
  const [classes, setClasses] = useState<PickedClass[]>(() => [emptyClass(0), emptyClass(1)]);
  const [nextKey, setNextKey] = useState(2);
  const [settings, setSettings] = useState<PictureSettings>(() => suggestPictureSettings('My pictures'));
  const { progress, problem, busy, send } = useUpload();
  const notReady = problemWithPickedClasses(classes);

  const update = (key: number, patch: Partial<PickedClass>) => setClasses((current) => current.map((c) => (c.key === key ? { ...c, ...patch } : c)));

  async function submit() {
    if (notReady) return;
    const total = classes.reduce((sum, c) => sum + c.files.reduce((s, f) => s + f.size, 0), 0);
    const imported = await send(total, (onProgress) => importPicturesByClass(classes, settings, onProgress));
    if (!imported) return;
    onImported(imported);
    setClasses([emptyClass(nextKey), emptyClass(nextKey + 1)]);
    setNextKey((k) => k + 2);
  }

  return (
    <form
      className="csv-upload csv-upload__form"
      aria-label="Pictures class by class"
      onSubmit={(event) => {
        event.preventDefault();
        void submit();
      }}
    >
      <p className="picture-classes__intro">
        <strong>Or pick pictures class by class</strong> (no zip needed): name each class, then choose its .png or .jpg pictures.
      </p>
      <ol className="picture-classes">
        {classes.map((picked, index) => {
          const number = index + 1;
          return (
            <li key={picked.key} className="picture-class">
              <div className="field">
                <label htmlFor={`${id}-${picked.key}-name`}>Class {number} name</label>
                <input id={`${id}-${picked.key}-name`} value={picked.name} maxLength={100} disabled={busy} onChange={(e) => update(picked.key, { name: e.target.value })} />
              </div>
              <div className="field">
                <label htmlFor={`${id}-${picked.key}-files`}>Class {number} pictures</label>
                <input
                  // Each pick adds to the class; a fresh input lets the same pictures be picked again after "Clear".
                  key={picked.files.length}
                  id={`${id}-${picked.key}-files`}
                  type="file"
                  multiple
                  accept=".png,.jpg,.jpeg,image/png,image/jpeg"
                  disabled={busy}
                  aria-describedby={`${id}-${picked.key}-count`}
                  onChange={(e) => update(picked.key, { files: [...picked.files, ...Array.from(e.target.files ?? [])] })}
                />
                <p id={`${id}-${picked.key}-count`} className="field__help">
                  {picked.files.length === 0 ? 'No pictures yet.' : `${picked.files.length} ${picked.files.length === 1 ? 'picture' : 'pictures'} chosen.`}
                </p>
              </div>
              <div className="picture-class__actions">
                {picked.files.length > 0 && (
                  <button type="button" className="button button--small" disabled={busy} onClick={() => update(picked.key, { files: [] })}>
                    Clear class {number} pictures
                  </button>
                )}
                {classes.length > 2 && (
                  <button type="button" className="button button--small" disabled={busy} onClick={() => setClasses((current) => current.filter((c) => c.key !== picked.key))}>
                    Remove class {number}
                  </button>
                )}
              </div>
            </li>
          );
        })}
      </ol>
      <div>
        <button
          type="button"
          className="button button--small"
          disabled={busy}
          onClick={() => {
            setClasses((current) => [...current, emptyClass(nextKey)]);
            setNextKey((k) => k + 1);
          }}
        >
          Add a class
        </button>
      </div>
      <PictureSettingsFields idPrefix={`${id}-settings`} settings={settings} onChange={(patch) => setSettings((s) => ({ ...s, ...patch }))} />
      {notReady && <p className="field__help">{notReady}</p>}
      {progress && <UploadProgressBar progress={progress} />}
      {problem && (
        <p role="alert" className="field__error">
          {problem}
        </p>
      )}
      <div>
        <button type="submit" className="button button--primary" disabled={busy || notReady !== null || settings.name.trim() === ''}>
          Import pictures by class
        </button>
      </div>
    </form>
  );
}
