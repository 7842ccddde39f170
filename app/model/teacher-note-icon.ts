import * as Blockly from 'blockly/core';

/**
 * The teacher's comment at a block: a speech-bubble icon on the block that opens the text in a
 * Blockly bubble, as a block's warning does. It is not a Blockly comment on purpose: those are
 * saved with the workspace (so they would become part of the student's cell, and editable by
 * them); this icon is not serializable, so saving the blocks never includes it.
 */
const SIZE = 18;
/** Characters per line in the bubble: Blockly draws one line per line of text, however long. */
const LINE_LENGTH = 44;
export const TEACHER_NOTE_ICON = new Blockly.icons.IconType<TeacherNoteIcon>('layerbook_teacher_note');

export class TeacherNoteIcon extends Blockly.icons.Icon implements Blockly.IHasBubble {
  private bubble: Blockly.bubbles.TextBubble | null = null;

  constructor(
    protected override readonly sourceBlock: Blockly.BlockSvg,
    private text: string,
  ) {
    super(sourceBlock);
  }

  override getType(): Blockly.icons.IconType<TeacherNoteIcon> {
    return TEACHER_NOTE_ICON;
  }

  override initView(pointerdownListener: (e: PointerEvent) => void): void {
    if (this.svgRoot) return;
    super.initView(pointerdownListener);
    const { createSvgElement } = Blockly.utils.dom;
    createSvgElement('rect', { class: 'teacherNoteIcon__back', x: 0, y: 0, width: SIZE, height: SIZE - 4, rx: 4, ry: 4 }, this.svgRoot);
    createSvgElement('path', { class: 'teacherNoteIcon__back', d: `M4,${SIZE - 5} L4,${SIZE} L9,${SIZE - 5} Z` }, this.svgRoot);
    for (const y of [4.5, 8.5]) createSvgElement('rect', { class: 'teacherNoteIcon__line', x: 4, y, width: y < 6 ? 10 : 7, height: 1.8, rx: 0.9 }, this.svgRoot);
    Blockly.utils.dom.addClass(this.svgRoot!, 'teacherNoteIcon');
    this.svgRoot!.setAttribute('role', 'button');
    this.svgRoot!.setAttribute('aria-label', "Your teacher's comment on this block");
    this.setTooltip("Your teacher's comment: click to show or hide it");
  }

  override getWeight(): number {
    // After Blockly's own icons (warning 2, comment 3): the teacher's note sits last on the block.
    return 4;
  }

  override getSize(): Blockly.utils.Size {
    return new Blockly.utils.Size(SIZE, SIZE);
  }

  override isShownWhenCollapsed(): boolean {
    return true;
  }

  override isClickableInFlyout(): boolean {
    return false;
  }

  override onLocationChange(blockOrigin: Blockly.utils.Coordinate): void {
    super.onLocationChange(blockOrigin);
    this.bubble?.setAnchorLocation(this.anchor());
  }

  override onClick(): void {
    super.onClick();
    void this.setBubbleVisible(!this.bubbleIsVisible());
  }

  override dispose(): void {
    this.bubble?.dispose();
    this.bubble = null;
    super.dispose();
  }

  setText(text: string): void {
    this.text = text;
    this.bubble?.setText(wrapped(text));
  }

  bubbleIsVisible(): boolean {
    return this.bubble !== null;
  }

  async setBubbleVisible(visible: boolean): Promise<void> {
    if (this.bubbleIsVisible() === visible) return;
    await Blockly.renderManagement.finishQueuedRenders();
    if (visible && !this.sourceBlock.isDisposed()) {
      // The block alone (not the blocks below it) is what the bubble keeps clear of.
      const owner = this.sourceBlock.getBoundingRectangleWithoutChildren();
      this.bubble = new Blockly.bubbles.TextBubble(wrapped(this.text), this.sourceBlock.workspace, this.anchor(), owner);
      this.bubble.setColour('#fef3c7');
      // Larger than Blockly's bubble text, for a student reading it; set again so the bubble is measured at that size.
      Blockly.utils.dom.addClass(this.bubble.getSvgRoot(), 'teacherNoteBubble');
      this.bubble.setText(wrapped(this.text));
      // Beside the whole stack, level with the block, where that fits in view: Blockly's own choice
      // is often above, over the block before. In a narrow workspace Blockly's choice stays.
      const stack = this.sourceBlock.getRootBlock().getBoundingRectangle();
      const anchor = this.anchor();
      this.bubble.setPositionRelativeToAnchor(stack.right + 24 - anchor.x, -SIZE);
      const edge = this.sourceBlock.workspace.getParentSvg().getBoundingClientRect().right;
      if (this.bubble.getSvgRoot().getBoundingClientRect().right > edge) this.bubble.setAnchorLocation(anchor, true);
    } else {
      this.bubble?.dispose();
      this.bubble = null;
    }
  }

  getBubble(): Blockly.IBubble | null {
    return this.bubble;
  }

  /** The block's right edge, level with the icon: the bubble's tail then never crosses the block's text. */
  private anchor(): Blockly.utils.Coordinate {
    const block = this.sourceBlock.getBoundingRectangleWithoutChildren();
    return new Blockly.utils.Coordinate(block.right, this.workspaceLocation.y + SIZE / 2);
  }
}

function wrapped(text: string): string {
  return text
    .split('\n')
    .map((line) => Blockly.utils.string.wrap(line, LINE_LENGTH))
    .join('\n');
}

export interface BlockNote {
  blockId: string;
  text: string;
}

/** Puts each note on its block (bubble open, so it is seen at once) and takes notes off blocks that no longer have one. */
export function applyBlockNotes(workspace: Blockly.WorkspaceSvg, notes: readonly BlockNote[]): void {
  const byBlock = new Map<string, string[]>();
  for (const note of notes) byBlock.set(note.blockId, [...(byBlock.get(note.blockId) ?? []), note.text]);
  for (const block of workspace.getAllBlocks(false)) {
    const texts = byBlock.get(block.id);
    const existing = block.hasIcon(TEACHER_NOTE_ICON) ? (block.getIcon(TEACHER_NOTE_ICON) as TeacherNoteIcon) : null;
    if (!texts) {
      if (existing) block.removeIcon(TEACHER_NOTE_ICON);
      continue;
    }
    const text = texts.join('\n\n');
    if (existing) {
      existing.setText(text);
    } else {
      const icon = new TeacherNoteIcon(block, text);
      block.addIcon(icon);
      void icon.setBubbleVisible(true);
    }
  }
}
