'use client';

import * as Blockly from 'blockly/core';
import * as En from 'blockly/msg/en';
import { useEffect, useId, useRef, useState } from 'react';
import {
  applyDiagnostics,
  applyQuickFix,
  buildToolbox,
  buildTrainingToolbox,
  registerLayerBlocks,
  searchBlocks,
  SEARCH_CATEGORY_CALLBACK,
  SEARCH_CATEGORY_ID,
} from '../../blocks/blockly';
import type { Diagnostic, QuickFix } from '../../blocks/format/diagnostic';
import { applyBlockNotes, type BlockNote } from './teacher-note-icon';
import './block-search.css';
import './teacher-note.css';

export interface WorkspaceHandle {
  /** Scroll a block into the middle of the workspace and select it ("Show the block"). */
  showBlock(blockId: string): void;
  /** Change the blocks as a problem's quick fix says ("Fix it"); false when the blocks it names are gone. */
  applyQuickFix(fix: QuickFix): boolean;
}

let theme: Blockly.Theme | null = null;
function registerOnce(): Blockly.Theme {
  if (theme) return theme;
  Blockly.setLocale(En as unknown as Record<string, string>);
  // Only core is bundled (not Blockly's own library blocks and JS generator, which Layerbook
  // never uses); registerLayerBlocks touches core APIs only, but is typed with the full module.
  registerLayerBlocks(Blockly as unknown as Parameters<typeof registerLayerBlocks>[0]);
  // Match the page: light toolbox, the page's system font, brand-coloured cursor.
  theme = Blockly.Theme.defineTheme('layerbook', {
    name: 'layerbook',
    base: Blockly.Themes.Classic,
    componentStyles: {
      workspaceBackgroundColour: '#ffffff',
      toolboxBackgroundColour: '#f6f7fb',
      toolboxForegroundColour: '#1c2033',
      flyoutBackgroundColour: '#eceef6',
      flyoutForegroundColour: '#1c2033',
      flyoutOpacity: 0.97,
      scrollbarColour: '#c3c8d8',
      scrollbarOpacity: 0.8,
      insertionMarkerColour: '#4f46e5',
      insertionMarkerOpacity: 0.35,
      cursorColour: '#4f46e5',
      markerColour: '#0d9488',
    },
    fontStyle: { family: 'system-ui, -apple-system, "Segoe UI", Roboto, "Noto Sans", Arial, sans-serif', weight: '600', size: 11 },
  });
  return theme;
}

/** Below this width the toolbox goes above the blocks instead of eating half the screen. */
const NARROW_PX = 560;

/**
 * The Blockly editor of one model cell (layer blocks, with a search box) or training cell
 * (setting blocks). Loaded only in the browser (next/dynamic with ssr:false): Blockly needs
 * the DOM and is the biggest script on the page.
 */
export default function BlocklyWorkspace(props: {
  /** Which blocks the toolbox offers; 'model' when left out. */
  kind?: 'model' | 'training';
  initialWorkspace: Record<string, unknown>;
  diagnostics: Diagnostic[];
  height: number;
  onChange: (workspace: Record<string, unknown>) => void;
  onReady?: (handle: WorkspaceHandle) => void;
  /** A cell the teacher locked: blocks shown, nothing can be dragged, added or changed. */
  readOnly?: boolean;
  /** A block was clicked (the teacher picks the block a comment is about). */
  onBlockClick?: (blockId: string) => void;
  /** A block drawn as selected, e.g. the one a comment being written is about. */
  highlightedBlockId?: string | null;
  /** The teacher's comments, each shown on its block. */
  blockNotes?: readonly BlockNote[];
}) {
  const hostRef = useRef<HTMLDivElement>(null);
  const workspaceRef = useRef<Blockly.WorkspaceSvg | null>(null);
  const onChangeRef = useRef(props.onChange);
  const onReadyRef = useRef(props.onReady);
  const initialRef = useRef(props.initialWorkspace);
  const [loadError, setLoadError] = useState<string | null>(null);
  const [query, setQuery] = useState('');
  const queryRef = useRef('');
  const searchId = useId();
  const kindRef = useRef(props.kind ?? 'model');
  const readOnlyRef = useRef(props.readOnly ?? false);

  const onBlockClickRef = useRef(props.onBlockClick);

  useEffect(() => {
    onChangeRef.current = props.onChange;
    onReadyRef.current = props.onReady;
    onBlockClickRef.current = props.onBlockClick;
  });

  useEffect(() => {
    const host = hostRef.current;
    if (!host) return;
    const layerbookTheme = registerOnce();
    const narrow = host.clientWidth < NARROW_PX;
    const training = kindRef.current === 'training';
    const readOnly = readOnlyRef.current;
    const workspace = Blockly.inject(host, {
      // The training toolbox has a dozen blocks in four categories: nothing to search for.
      toolbox: readOnly ? undefined : training ? buildTrainingToolbox() : buildToolbox({ search: true }),
      readOnly,
      // A local copy (scripts/copy-blockly-media.mjs): by default Blockly loads sounds from the internet.
      media: '/blockly-media/',
      // Geras (classic) over Zelos: its compact blocks fit a whole CNN on screen, and
      // students read the layer stack at once instead of scrolling through it.
      renderer: 'geras',
      theme: layerbookTheme,
      trashcan: !readOnly,
      horizontalLayout: narrow,
      toolboxPosition: 'start',
      zoom: { controls: true, wheel: false, startScale: narrow ? 0.6 : 0.75, maxScale: 2, minScale: 0.3, scaleSpeed: 1.2 },
      // Wheel scrolling stays with the page: a notebook is a long scrolling document.
      move: { scrollbars: true, drag: true, wheel: false },
      grid: { spacing: 24, length: 2, colour: '#e2e5f0', snap: true },
      sounds: true,
    });
    workspaceRef.current = workspace;
    nameWorkspaceControls(host);
    // The "Search results" category asks for its blocks each time it opens.
    if (!training && !readOnly) workspace.registerToolboxCategoryCallback(SEARCH_CATEGORY_CALLBACK, () => searchBlocks(queryRef.current));

    // Loading is not an edit: keep its events from marking the notebook unsaved.
    Blockly.Events.disable();
    try {
      Blockly.serialization.workspaces.load(initialRef.current, workspace);
    } catch (error) {
      setLoadError(error instanceof Error ? error.message : String(error));
    } finally {
      Blockly.Events.enable();
    }

    // A read-only workspace fires no Blockly click events for its blocks, so the page's own click
    // is read: each block's SVG group carries its id, and the innermost one is the block clicked.
    const onHostClick = (event: MouseEvent) => {
      const blockId = (event.target as Element | null)?.closest?.('.blocklyBlockCanvas [data-id]')?.getAttribute('data-id');
      if (blockId && workspace.getBlockById(blockId)) onBlockClickRef.current?.(blockId);
    };
    host.addEventListener('click', onHostClick);

    workspace.addChangeListener((event) => {
      if (readOnly || event.isUiEvent || workspace.isDragging()) return;
      onChangeRef.current(Blockly.serialization.workspaces.save(workspace) as Record<string, unknown>);
    });

    const resize = new ResizeObserver(() => Blockly.svgResize(workspace));
    resize.observe(host);

    onReadyRef.current?.({
      showBlock(blockId) {
        const block = workspace.getBlockById(blockId) as Blockly.BlockSvg | null;
        if (!block) return;
        workspace.centerOnBlock(blockId);
        block.select();
        host.scrollIntoView({ behavior: 'smooth', block: 'nearest' });
      },
      applyQuickFix(fix) {
        return applyQuickFix(Blockly as unknown as Parameters<typeof applyQuickFix>[0], workspace, fix);
      },
    });

    return () => {
      host.removeEventListener('click', onHostClick);
      resize.disconnect();
      workspace.dispose();
      workspaceRef.current = null;
    };
  }, []);

  useEffect(() => {
    if (workspaceRef.current) applyDiagnostics(workspaceRef.current, props.diagnostics);
  }, [props.diagnostics]);

  const { blockNotes, highlightedBlockId } = props;
  useEffect(() => {
    if (workspaceRef.current && blockNotes) applyBlockNotes(workspaceRef.current, blockNotes);
  }, [blockNotes]);

  useEffect(() => {
    const block = highlightedBlockId ? (workspaceRef.current?.getBlockById(highlightedBlockId) as Blockly.BlockSvg | null | undefined) : null;
    // addSelect only draws the outline: a read-only workspace has no selection to change.
    block?.addSelect();
    return () => {
      if (block && !block.isDisposed()) block.removeSelect();
    };
  }, [highlightedBlockId]);

  const search = (text: string) => {
    setQuery(text);
    queryRef.current = text;
    const toolbox = workspaceRef.current?.getToolbox() as Blockly.Toolbox | null | undefined;
    const results = toolbox?.getToolboxItemById(SEARCH_CATEGORY_ID) as Blockly.ISelectableToolboxItem | null | undefined;
    if (!toolbox || !results) return;
    if (text.trim() === '') {
      if (toolbox.getSelectedItem() === results) toolbox.clearSelection();
    } else if (toolbox.getSelectedItem() === results) {
      toolbox.refreshSelection();
    } else {
      toolbox.setSelectedItem(results);
    }
  };

  return (
    <>
      {kindRef.current === 'model' && !readOnlyRef.current && <div className="block-search" role="search">
        <label htmlFor={searchId} className="block-search__label">
          Search blocks
        </label>
        <input
          id={searchId}
          type="search"
          className="block-search__input"
          value={query}
          placeholder="e.g. lstm, conv2d, dropout"
          autoComplete="off"
          spellCheck={false}
          onChange={(event) => search(event.target.value)}
          onKeyDown={(event) => {
            if (event.key === 'Escape') search('');
          }}
        />
      </div>}
      {loadError && (
        <p role="alert" className="notice notice--error">
          Some blocks in this cell could not be loaded ({loadError}). Rebuild them from the toolbox.
        </p>
      )}
      <div ref={hostRef} className="blockly-host" style={{ height: props.height }} role="region" aria-label="Block workspace" />
    </>
  );
}

/**
 * Blockly draws its zoom buttons and trash can as bare SVG images; without names a screen
 * reader announces nothing (or "image"), so they are named as the buttons they are.
 */
const WORKSPACE_CONTROL_NAMES: ReadonlyArray<[selector: string, name: string]> = [
  ['.blocklyZoomIn', 'Zoom in'],
  ['.blocklyZoomOut', 'Zoom out'],
  ['.blocklyZoomReset', 'Reset zoom'],
  ['.blocklyTrash', 'Trash: drop blocks here to delete them'],
];

function nameWorkspaceControls(host: HTMLElement): void {
  for (const [selector, name] of WORKSPACE_CONTROL_NAMES) {
    const control = host.querySelector(selector);
    if (!control) continue;
    control.setAttribute('role', 'button');
    control.setAttribute('aria-label', name);
  }
}
