import { randomUUID } from 'node:crypto';
import { mnistCnnWorkspace, mnistMlpWorkspace } from '../../blocks/templates';
import { NOTEBOOK_FORMAT_VERSION, newMarkdownCell, newModelCell, type Cell } from '../../blocks/format/notebook';
import { newTrainingCell } from '../../blocks/templates/training-cell';
import type { Database } from '../../db/client';
import { notebooks } from '../../db/schema';

export const FIRST_NOTEBOOK_TITLE = 'Your first neural network';

const INTRO = `# Your first neural network

A **neural network** is a stack of simple maths steps, called **layers**. Each layer takes
numbers in, changes them a little, and passes them on. While it *trains*, the network looks
at thousands of examples and nudges its numbers until its answers get better.

This network learns to read **handwritten digits** (0 to 9) from the MNIST data set:
small 28 × 28 pixel pictures.

**What the blocks do**

- **Input** says what goes in: a 28 × 28 picture with one colour channel.
- **Conv2D** slides small filters over the picture to find edges and shapes.
- **MaxPooling2D** shrinks the picture, keeping the strongest signals.
- **Flatten** turns the picture into one long list of numbers.
- **Dense** layers combine everything; the last one has 10 outputs, one per digit.

The **training cell** under the model says how to train it: the optimizer, how many
**epochs** (times through all the pictures), the **batch size** and more, each a block.

**What to click**

1. Look at the blocks below, and at the TF.js code they turn into on the right.
2. Press **Train** in the training cell and watch the loss go down and the accuracy go up.
3. Then change something (more filters, another Dense layer, more epochs) and train again.
   Which change helps most?`;

const OUTRO = `## What next?

- Compare your runs: which one has the best **test accuracy**?
- Too many layers can make training slow, and the network can start to *memorise* the
  training pictures instead of learning. Watch for validation accuracy that stops rising.
- Make a new notebook from the home page and build a network of your own.`;

const NEW_NOTEBOOK_INTRO = `# My network

Describe your idea here: what do you want to try, and what do you expect to happen?`;

function cellId(): string {
  return randomUUID();
}

/** The starter notebook every new user finds on their first visit. */
export function firstNotebookCells(): Cell[] {
  const model = cellId();
  return [
    newMarkdownCell(cellId(), INTRO),
    newModelCell(model, mnistCnnWorkspace()),
    newTrainingCell(cellId(), model),
    newMarkdownCell(cellId(), OUTRO),
  ];
}

/**
 * What "New notebook" starts from: a note to fill in and the smallest network that trains
 * well (an MLP), as a different starting point from the CNN in the first notebook.
 */
export function newNotebookCells(): Cell[] {
  const model = cellId();
  return [
    newMarkdownCell(cellId(), NEW_NOTEBOOK_INTRO),
    newModelCell(model, mnistMlpWorkspace()),
    newTrainingCell(cellId(), model),
  ];
}

export async function seedNewUser(db: Database, userId: string): Promise<{ notebookId: string }> {
  const [row] = await db
    .insert(notebooks)
    .values({ ownerId: userId, title: FIRST_NOTEBOOK_TITLE, cells: firstNotebookCells(), formatVersion: NOTEBOOK_FORMAT_VERSION })
    .returning({ id: notebooks.id });
  return { notebookId: row!.id };
}
