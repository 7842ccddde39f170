import type { Locator } from '@playwright/test';

/** "Where your model goes wrong" under a finished run: a button, then the wrong examples with a filter by their true class. */
export class ModelMistakesSection {
  readonly root: Locator;
  readonly showButton: Locator;
  /** "Your model gets 23 of the 200 checking examples wrong (12%)." */
  readonly summary: Locator;
  readonly trueClassFilter: Locator;
  readonly list: Locator;
  /** One figure per wrong example, named by its caption ("Really a 4 — your model said a 9 (71% sure)"). */
  readonly examples: Locator;
  /** A table's wrong rows: "Really", "Your model said" and the row's values. */
  readonly wrongRows: Locator;

  constructor(trainingCell: Locator) {
    this.root = trainingCell.getByRole('region', { name: 'Where your model goes wrong' });
    this.showButton = this.root.getByRole('button', { name: 'Show the examples it gets wrong' });
    this.summary = this.root.getByRole('status').filter({ hasText: /^Your model gets / });
    this.trueClassFilter = this.root.getByLabel('Examples that are really');
    this.list = this.root.getByRole('list', { name: 'Examples your model gets wrong' });
    this.examples = this.list.getByRole('figure');
    this.wrongRows = this.root.getByRole('table', { name: 'Rows your model gets wrong' });
  }
}
