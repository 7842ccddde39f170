'use client';

import { createContext, useContext, useId, useState } from 'react';
import type { DataSource, DatasetShapeInfo } from '../../blocks/format/datasets';
import { PicturePanel } from './PicturePanel';
import { takesPictures, takesTableRows } from './prediction';
import { TableRowPanel } from './TableRowPanel';
import './try-model.css';

/** What a training cell trains on: the data's shape and class names, and where it comes from (which says what its examples are). */
export interface TrainedOn {
  info: DatasetShapeInfo;
  source: DataSource;
}

/**
 * What the training cell's data is, for the "Try your model" panels of its runs. The training
 * cell provides it around its run panel, so the panel in RunPanel.tsx needs nothing passed
 * through it. Null while the data does not resolve.
 */
export const TrainedOnData = createContext<TrainedOn | null>(null);

/**
 * "Try your model": a finished run's model answers, in this browser, for an example the student
 * makes. For pictures of any size, grey or colour (MNIST, uploads, IDX files), a picture file
 * to choose or drop, and for 28×28 grey pictures a drawing pad as well; for tables (iris, CSV
 * uploads) a box per column, filled with a real row to start from. The generated 2-D sets show
 * nothing here (their decision map shows the model better).
 */
export function TryModel({ runId }: { runId: string }) {
  const trainedOn = useContext(TrainedOnData);
  const [open, setOpen] = useState(false);
  // The panel is made at the first open (that is what loads TF.js and the model) and then only
  // hidden, so closing and opening again keeps the model and the drawing, picture or typed row.
  const [opened, setOpened] = useState(false);
  const panelId = useId();
  const kind = !trainedOn ? null : takesPictures(trainedOn.info) ? 'pictures' : takesTableRows(trainedOn.source) ? 'table' : null;
  if (!trainedOn || !kind) return null;
  function toggle() {
    setOpen((value) => !value);
    setOpened(true);
  }
  const panel = { id: panelId, hidden: !open, runId, currentData: trainedOn.info };
  return (
    <section className="try-model" aria-label="Try your model">
      <button type="button" className="button" aria-expanded={open} aria-controls={panelId} onClick={toggle}>
        Try your model
      </button>
      {opened && (kind === 'pictures' ? <PicturePanel {...panel} source={trainedOn.source} /> : <TableRowPanel {...panel} source={trainedOn.source} />)}
    </section>
  );
}

