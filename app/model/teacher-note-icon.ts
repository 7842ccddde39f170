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
/** The shortest lines a narrow workspace wraps the text to: two words still fit one. */
const MIN_LINE_LENGTH = 12;
/** Room between the bubble and the workspace's edges, in screen pixels. */
const EDGE_PX = 8;
/** Room between the bubble and the blocks or the other notes it keeps clear of, in workspace units. */
const GAP = 12;
export const TEACHER_NOTE_ICON = new Blockly.icons.IconType<TeacherNoteIcon>('layerbook_teacher_note');

/** Blockly's text bubble, with the size it was drawn at in workspace units (Blockly keeps that protected). */
class NoteBubble extends Blockly.bubbles.TextBubble {
  get drawnSize(): Blockly.utils.Size {
    return this.getSize();
  }

  get area(): Blockly.utils.Rect {
    const { x, y } = this.getRelativeToSurfaceXY();
    return new Blockly.utils.Rect(y, y + this.drawnSize.height, x, x + this.drawnSize.width);
  }
}

export class TeacherNoteIcon extends Blockly.icons.Icon implements Blockly.IHasBubble {
  private bubble: NoteBubble | null = null;

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
    this.placeBubble();
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
      this.bubble = new NoteBubble(wrapped(this.text, LINE_LENGTH), this.sourceBlock.workspace, this.anchor(), owner);
      this.bubble.setColour('#fef3c7');
      // Larger than Blockly's bubble text, for a student reading it; placeBubble sets the text again so it is measured at that size.
      Blockly.utils.dom.addClass(this.bubble.getSvgRoot(), 'teacherNoteBubble');
      // Named for assistive technology: a note, not a picture of text.
      this.bubble.getSvgRoot().setAttribute('role', 'note');
      this.bubble.getSvgRoot().setAttribute('aria-label', "Your teacher's comment");
      this.placeBubble();
    } else {
      this.bubble?.dispose();
      this.bubble = null;
    }
  }

  getBubble(): Blockly.IBubble | null {
    return this.bubble;
  }

  /**
   * Where the note goes, all of it inside the workspace's view: Blockly's own choice is often
   * above the block, cut off by the top edge of a narrow cell. Beside the whole stack, level with
   * the block, wrapped to the room there and ending before the zoom buttons and trash can (a wide
   * cell, or a narrow one with room beside the blocks); where even short lines do not fit beside
   * them, below the whole stack (never over a block), wrapped to the view's width. It keeps clear
   * of the notes already open, so two notes on neighbouring blocks never cover each other.
   */
  private placeBubble(): void {
    const bubble = this.bubble;
    if (!bubble) return;
    const workspace = this.sourceBlock.workspace;
    const view = workspace.getMetricsManager().getViewMetrics(true);
    const edge = EDGE_PX / workspace.scale;
    // The vertical scrollbar stays uncovered.
    const right = view.left + view.width - Blockly.Scrollbar.scrollbarThickness / workspace.scale - edge;
    const room = new Blockly.utils.Rect(view.top + edge, view.top + view.height - edge, view.left + edge, right);
    const block = this.sourceBlock.getBoundingRectangleWithoutChildren();
    const stack = this.sourceBlock.getRootBlock().getBoundingRectangle();
    const anchor = this.anchor();
    const besideLeft = stack.right + 2 * GAP;
    const besideTop = anchor.y - SIZE;
    const fitsBeside = (rightEdge: number) => this.wrapToFit(bubble, rightEdge - besideLeft);
    let beside = fitsBeside(room.right);
    if (beside) {
      // Shorter lines where the note would reach the buttons at the right edge, level with it.
      const level = this.workspaceControls().filter((c) => c.top < besideTop + bubble.drawnSize.height && besideTop < c.bottom && c.left < besideLeft + bubble.drawnSize.width);
      if (level.length > 0) beside = fitsBeside(Math.min(...level.map((c) => c.left)) - edge);
    }
    let left = besideLeft;
    let top = besideTop;
    if (!beside) {
      this.wrapToFit(bubble, room.right - room.left);
      left = Math.max(room.left, Math.min(block.left, room.right - bubble.drawnSize.width));
      top = stack.bottom + GAP;
    }
    const { width, height } = bubble.drawnSize;
    for (const other of this.otherOpenNotes()) {
      const overlaps = left < other.right && other.left < left + width && top < other.bottom && other.top < top + height;
      if (overlaps) top = other.bottom + GAP;
    }
    top = Math.max(room.top, Math.min(top, room.bottom - height));
    bubble.setPositionRelativeToAnchor(left - anchor.x, top - anchor.y);
  }

  /** Where the zoom buttons and the trash can are, in workspace units (Blockly gives pixels from the injection div's corner). */
  private workspaceControls(): Blockly.utils.Rect[] {
    const workspace = this.sourceBlock.workspace;
    const metrics = workspace.getMetricsManager();
    const view = metrics.getViewMetrics(true);
    const origin = metrics.getAbsoluteMetrics();
    const toWorkspace = (px: number, originPx: number, viewStart: number) => viewStart + (px - originPx) / workspace.scale;
    return workspace
      .getComponentManager()
      .getComponents(Blockly.ComponentManager.Capability.POSITIONABLE, false)
      .map((control) => control.getBoundingRectangle())
      .filter((rect): rect is Blockly.utils.Rect => rect !== null)
      .map(
        (rect) =>
          new Blockly.utils.Rect(
            toWorkspace(rect.top, origin.top, view.top),
            toWorkspace(rect.bottom, origin.top, view.top),
            toWorkspace(rect.left, origin.left, view.left),
            toWorkspace(rect.right, origin.left, view.left),
          ),
      );
  }

  /** Sets the text with lines as long as fit `width` (workspace units); false when even the shortest lines do not. */
  private wrapToFit(bubble: NoteBubble, width: number): boolean {
    let lineLength = LINE_LENGTH;
    bubble.setText(wrapped(this.text, lineLength));
    while (bubble.drawnSize.width > width && lineLength > MIN_LINE_LENGTH) {
      // Shorter in proportion, at least one character a try: Blockly wraps at spaces, so widths are uneven.
      lineLength = Math.max(MIN_LINE_LENGTH, Math.min(lineLength - 1, Math.floor((lineLength * width) / bubble.drawnSize.width)));
      bubble.setText(wrapped(this.text, lineLength));
    }
    return bubble.drawnSize.width <= width;
  }

  /** Where the other teacher's notes open on this workspace are, top to bottom. */
  private otherOpenNotes(): Blockly.utils.Rect[] {
    return this.sourceBlock.workspace
      .getAllBlocks(true)
      .map((block) => (block.hasIcon(TEACHER_NOTE_ICON) ? (block.getIcon(TEACHER_NOTE_ICON) as TeacherNoteIcon).bubble : null))
      .filter((bubble): bubble is NoteBubble => bubble !== null && bubble !== this.bubble)
      .map((bubble) => bubble.area)
      .sort((a, b) => a.top - b.top);
  }

  /** The block's right edge, level with the icon: the bubble's tail then never crosses the block's text. */
  private anchor(): Blockly.utils.Coordinate {
    const block = this.sourceBlock.getBoundingRectangleWithoutChildren();
    return new Blockly.utils.Coordinate(block.right, this.workspaceLocation.y + SIZE / 2);
  }
}

function wrapped(text: string, lineLength: number): string {
  return text
    .split('\n')
    .map((line) => Blockly.utils.string.wrap(line, lineLength))
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
  // Top to bottom, so each note opened keeps clear of the ones above it.
  for (const block of workspace.getAllBlocks(true)) {
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
