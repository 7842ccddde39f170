'use client';

import { useId, useState } from 'react';
import { useQuery } from '@tanstack/react-query';
import { useTRPC } from '../trpc/react';
import { UploadProgressBar } from './UploadProgressBar';
import { importIdxFiles, parseClassNames, type UploadedDataset } from './upload';
import { useUpload } from './use-upload';

const size = (bytes: number) => (bytes >= 1024 * 1024 ? `${(bytes / 1024 / 1024).toFixed(1)} MB` : `${Math.max(1, Math.round(bytes / 1024))} KB`);

/**
 * A teacher's full-size dataset in the MNIST file format (MNIST, Fashion-MNIST, KMNIST): the
 * files as downloaded, added once and, if they like, for the whole school.
 */
export function IdxUpload({ onImported }: { onImported: (dataset: UploadedDataset) => void }) {
  const id = useId();
  const trpc = useTRPC();
  // Giving a dataset to the whole school is for teachers: people who have made a class.
  const myClasses = useQuery(trpc.class.list.queryOptions());
  const isTeacher = (myClasses.data?.teaching.length ?? 0) > 0;
  const [files, setFiles] = useState<File[]>([]);
  const [name, setName] = useState('');
  const [classNamesText, setClassNamesText] = useState('');
  const [validation, setValidation] = useState(10);
  const [test, setTest] = useState(15);
  const [seed, setSeed] = useState(1);
  const [shareWithSchool, setShareWithSchool] = useState(false);
  const { progress, problem, setProblem, busy, send } = useUpload();
  const [inputKey, setInputKey] = useState(0);

  const classNames = parseClassNames(classNamesText);
  const train = 100 - validation - test;
  const splitProblem = train < 1 ? 'Checking and final test leave nothing for training; make them smaller.' : null;
  const total = files.reduce((sum, f) => sum + f.size, 0);

  async function submit() {
    if (!classNames.ok || splitProblem) return;
    const settings = { name: name.trim(), classNames: classNames.names, split: { train, validation, test }, seed, shareWithSchool };
    const imported = await send(total, (onProgress) => importIdxFiles(files, settings, onProgress));
    if (!imported) return;
    onImported(imported);
    setFiles([]);
    setName('');
    setClassNamesText('');
    setShareWithSchool(false);
    setInputKey((k) => k + 1);
  }

  return (
    <div className="csv-upload">
      <div className="field">
        <label htmlFor={`${id}-files`}>Import IDX files (MNIST format)</label>
        <input
          key={inputKey}
          id={`${id}-files`}
          type="file"
          multiple
          disabled={busy}
          aria-describedby={`${id}-files-help`}
          onChange={(event) => {
            setProblem(null);
            setFiles(Array.from(event.target.files ?? []));
          }}
        />
        <p id={`${id}-files-help`} className="field__help">
          Choose the images and labels files together, as downloaded: train-images-idx3-ubyte.gz and train-labels-idx1-ubyte.gz, and if you have them
          t10k-images-idx3-ubyte.gz and t10k-labels-idx1-ubyte.gz, which become the final test. Unpacked files or one zip of them work too.
        </p>
      </div>
      {files.length > 0 && (
        <form
          className="csv-upload__form"
          aria-label="IDX import settings"
          onSubmit={(event) => {
            event.preventDefault();
            void submit();
          }}
        >
          <p className="field__help">
            {files.length} {files.length === 1 ? 'file' : 'files'}, {size(total)}: {files.map((f) => f.name).join(', ')}
          </p>
          <div className="field">
            <label htmlFor={`${id}-name`}>Dataset name</label>
            <input id={`${id}-name`} value={name} maxLength={100} placeholder="Fashion-MNIST" disabled={busy} onChange={(e) => setName(e.target.value)} />
          </div>
          <div className="field">
            <label htmlFor={`${id}-classes`}>Class names (optional)</label>
            <input
              id={`${id}-classes`}
              value={classNamesText}
              disabled={busy}
              aria-invalid={classNames.ok ? undefined : true}
              aria-describedby={`${id}-classes-note`}
              placeholder="T-shirt/top, Trouser, Pullover, …"
              onChange={(e) => setClassNamesText(e.target.value)}
            />
            <p id={`${id}-classes-note`} className={classNames.ok ? 'field__help' : 'field__error'}>
              {classNames.ok ? 'Names for labels 0, 1, 2, … in order, separated by commas. Leave empty to call the classes 0, 1, 2, …' : classNames.message}
            </p>
          </div>
          <fieldset className="csv-upload__split">
            <legend>Split (percent of the training files)</legend>
            <PercentField id={`${id}-validation`} label="Checking" min={0} value={validation} onChange={setValidation} disabled={busy} />
            <PercentField id={`${id}-test`} label="Final test (only without t10k files)" min={1} value={test} onChange={setTest} disabled={busy} />
            <div className="field field--number">
              <label htmlFor={`${id}-seed`}>Split seed</label>
              <input id={`${id}-seed`} type="number" min={0} value={seed} disabled={busy} onChange={(e) => setSeed(Math.max(0, Math.round(Number(e.target.value)) || 0))} />
            </div>
          </fieldset>
          {splitProblem && <p className="field__error">{splitProblem}</p>}
          {isTeacher && (
            <div className="field field--check">
              <input id={`${id}-school`} type="checkbox" checked={shareWithSchool} disabled={busy} onChange={(e) => setShareWithSchool(e.target.checked)} />
              <label htmlFor={`${id}-school`}>Share with the whole school</label>
            </div>
          )}
          <div>
            <button type="submit" className="button button--primary" disabled={busy || name.trim() === '' || !classNames.ok || splitProblem !== null}>
              Import IDX files
            </button>
          </div>
        </form>
      )}
      {progress && <UploadProgressBar progress={progress} />}
      {problem && (
        <p role="alert" className="field__error">
          {problem}
        </p>
      )}
    </div>
  );
}

function PercentField(props: { id: string; label: string; min: number; value: number; onChange: (value: number) => void; disabled: boolean }) {
  return (
    <div className="field field--number">
      <label htmlFor={props.id}>{props.label}</label>
      <input
        id={props.id}
        type="number"
        min={props.min}
        max={90}
        value={props.value}
        disabled={props.disabled}
        onChange={(e) => props.onChange(Math.min(90, Math.max(props.min, Math.round(Number(e.target.value)) || 0)))}
      />
    </div>
  );
}
