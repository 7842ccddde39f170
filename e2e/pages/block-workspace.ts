import { expect, type Locator, type Page } from '@playwright/test';

/**
 * The Blockly editor of one model or training cell, used with real pointer and keyboard input.
 *
 * Blockly draws blocks on an SVG canvas without roles, and the page does not expose its
 * Blockly instance, so block positions are read from the canvas (a block's title text and
 * outline); every action is then a real mouse drag or click at those positions.
 */
export class BlockWorkspace {
  readonly root: Locator;
  private readonly flyout: Locator;

  constructor(
    readonly page: Page,
    cell: Locator,
    /** The toolbox's first category, which shows once the editor is ready: "Model" or "Training". */
    private readonly firstCategory = 'Model',
  ) {
    this.root = cell.getByRole('region', { name: 'Block workspace' });
    this.flyout = this.root.locator('svg.blocklyToolboxFlyout');
  }

  async waitUntilLoaded(): Promise<void> {
    await expect(this.root.getByRole('treeitem', { name: this.firstCategory })).toBeVisible();
  }

  /** Mouse coordinates must be on screen: centre the editor in the window (below the sticky header). */
  async bringIntoView(): Promise<void> {
    await this.root.evaluate((el) => el.scrollIntoView({ block: 'center', inline: 'nearest' }));
  }

  /**
   * Drags the block titled `label` out of a toolbox category and drops it so that it
   * snaps under the workspace block titled `below` (the `belowIndex`-th one with that title,
   * counting from the top). Dropping between two blocks inserts the new one there.
   */
  async dragFromToolbox(category: string, label: string, target: { below: string; belowIndex?: number }): Promise<void> {
    await this.bringIntoView();
    const under = await this.measure('workspace', target.below, target.belowIndex ?? 0);

    await this.root.getByRole('treeitem', { name: category }).click();
    await expect(this.flyout.getByText(label, { exact: true }).first()).toBeVisible();
    const source = await this.measure('flyout', label, 0);

    // Keep the grab point's offset inside the block, so the block's top edge lands on the
    // lower edge of the target; the last few pixels leave room for the connector tab.
    const grabX = source.title.x - source.block.left;
    const grabY = source.title.y - source.block.top;
    const dropX = under.block.left + grabX + 2;
    const dropY = under.block.bottom + grabY - 4;

    await this.page.mouse.move(source.title.x, source.title.y);
    await this.page.mouse.down();
    // A short first move starts the drag (Blockly waits for a few pixels before it does).
    await this.page.mouse.move(source.title.x + 20, source.title.y + 10, { steps: 4 });
    await this.page.mouse.move(dropX, dropY, { steps: 12 });
    await this.page.mouse.up();
    await expect(this.flyout).toBeHidden();
  }

  /** Types a new value into a number or text field, the way a person edits it. */
  async typeInField(blockLabel: string, fieldLabel: string, value: string, blockIndex = 0): Promise<void> {
    await this.bringIntoView();
    const { field } = await this.measure('workspace', blockLabel, blockIndex, fieldLabel);
    await this.page.mouse.click(field!.x, field!.y);
    const editor = this.page.getByRole('textbox').and(this.page.locator(':focus'));
    await expect(editor).toBeVisible();
    await this.page.keyboard.press('ControlOrMeta+A');
    await this.page.keyboard.type(value);
    await this.page.keyboard.press('Enter');
    await expect(editor).toBeHidden();
  }

  /** Selects the block titled `label` with a click on its title and deletes it with the Delete key; the blocks below close up. */
  async deleteBlock(label: string, index = 0): Promise<void> {
    await this.bringIntoView();
    const { title } = await this.measure('workspace', label, index);
    await this.page.mouse.click(title.x, title.y);
    await this.page.keyboard.press('Delete');
    await expect.poll(async () => (await this.root.evaluate(countBlocks, label)) <= index).toBe(true);
  }

  /** Opens a dropdown field and picks one of its options. */
  async chooseInField(blockLabel: string, fieldLabel: string, option: string, blockIndex = 0): Promise<void> {
    await this.bringIntoView();
    const { field } = await this.measure('workspace', blockLabel, blockIndex, fieldLabel);
    await this.page.mouse.click(field!.x, field!.y);
    const choice = this.page.getByRole('listbox').getByRole('option', { name: option, exact: true });
    await choice.click();
    await expect(choice).toBeHidden();
  }

  /**
   * A small classifier built block by block as a student does: Input of `inputs` numbers, an
   * optional Dense `hidden` relu (a ring or two clusters cannot be told apart with a straight
   * line), then Dense `classes` softmax.
   */
  async buildClassifier({ inputs, hidden, classes }: { inputs: number; hidden?: number; classes: number }): Promise<void> {
    await this.typeInField('Input', 'shape', String(inputs));
    let denseBlocks = 0;
    if (hidden !== undefined) {
      await this.dragFromToolbox('Core', 'Dense', { below: 'Input' });
      await this.typeInField('Dense', 'units', String(hidden));
      await this.chooseInField('Dense', 'activation', 'relu');
      denseBlocks = 1;
    }
    await this.dragFromToolbox('Core', 'Dense', { below: denseBlocks ? 'Dense' : 'Input' });
    await this.typeInField('Dense', 'units', String(classes), denseBlocks);
    await this.chooseInField('Dense', 'activation', 'softmax', denseBlocks);
  }

  /** Screen geometry of a block (found by its title) and, optionally, of one of its fields. */
  private async measure(where: 'workspace' | 'flyout', label: string, index: number, fieldLabel?: string): Promise<BlockGeometry> {
    const found = await this.root.evaluate(measureBlock, { where, label, index, fieldLabel: fieldLabel ?? null });
    if (typeof found === 'string') throw new Error(found);
    return found;
  }
}

interface Rect {
  left: number;
  top: number;
  right: number;
  bottom: number;
}
interface Point {
  x: number;
  y: number;
}
interface BlockGeometry {
  block: Rect;
  title: Point;
  field: Point | null;
}

/** Runs in the page: how many workspace blocks have this title. */
function countBlocks(host: Element, label: string): number {
  const canvas = host.querySelector('svg.blocklySvg > g.blocklyWorkspace > g.blocklyBlockCanvas');
  const title = (g: Element) => (Array.from(g.children).find((c) => c.classList.contains('blocklyLabelField'))?.textContent ?? '').replace(/\u00a0/g, ' ').trim();
  return canvas ? Array.from(canvas.querySelectorAll('g[data-id]')).filter((g) => title(g) === label).length : 0;
}

/** Runs in the page. Returns an error text instead of throwing, so the test names what was missing. */
function measureBlock(
  host: Element,
  args: { where: 'workspace' | 'flyout'; label: string; index: number; fieldLabel: string | null },
): BlockGeometry | string {
  const canvas = host.querySelector(
    args.where === 'workspace'
      ? 'svg.blocklySvg > g.blocklyWorkspace > g.blocklyBlockCanvas'
      : 'svg.blocklyToolboxFlyout g.blocklyBlockCanvas',
  );
  if (!canvas) return `No Blockly ${args.where} canvas in this cell.`;
  const labelsOf = (block: Element) =>
    Array.from(block.children).filter((child) => child.classList.contains('blocklyLabelField'));
  const text = (el: Element | undefined) => (el?.textContent ?? '').replace(/\u00a0/g, ' ').trim();
  // Document order is top-to-bottom order: a block's svg group holds the blocks under it.
  const blocks = Array.from(canvas.querySelectorAll('g[data-id]')).filter((g) => text(labelsOf(g)[0]) === args.label);
  const block = blocks[args.index];
  if (!block) return `Found ${blocks.length} "${args.label}" block(s) in the ${args.where}, wanted number ${args.index + 1}.`;
  const outline = block.querySelector(':scope > path.blocklyPath');
  const title = labelsOf(block)[0]!.getBoundingClientRect();
  const box = (outline ?? block).getBoundingClientRect();
  let field: Point | null = null;
  if (args.fieldLabel !== null) {
    const label = labelsOf(block).find((l) => text(l) === args.fieldLabel);
    const value = label?.nextElementSibling;
    if (!value || !value.classList.contains('blocklyEditableField')) {
      return `The "${args.label}" block has no field labelled "${args.fieldLabel}".`;
    }
    const r = value.getBoundingClientRect();
    field = { x: r.left + r.width / 2, y: r.top + r.height / 2 };
  }
  return {
    block: { left: box.left, top: box.top, right: box.right, bottom: box.bottom },
    title: { x: title.left + title.width / 2, y: title.top + title.height / 2 },
    field,
  };
}
