/**
 * Blocks students make themselves ("conv block", "residual block"): a define_block holds a stack
 * of blocks, and each use_block in a stack is replaced by a copy of that stack before the model
 * is read. Every copied block gets the id `<use block id>/<inner block id>`, so two uses never
 * share a layer id; `origins` remembers which use block a copy came from, so problems found in
 * a copy are shown on the use block the student can see. Reads only; never throws.
 */
import { getLayer, type ArgDefinition, type LayerDefinition } from '../catalog';
import type { Diagnostic } from '../format/diagnostic';
import {
  BLOCK_NAME_FIELD,
  BLOCK_SETTINGS_FIELD,
  DEFINE_BLOCK_TYPE,
  DEFINE_LAYERS_INPUT,
  USE_BLOCK_TYPE,
  layerKeyOf,
  type BlockState,
} from '../format/block-types';

/** One block of a stack after expansion; `scope` keeps output names given inside one copy apart from the others. */
export interface ExpandedBlock {
  block: BlockState;
  scope: string;
}

/** Where a layer copied out of a made block came from. */
export interface ExpandedOrigin {
  /** The use block in the model (the outermost one when made blocks use each other). */
  useBlockId: string;
  /** The name of that made block, as the student wrote it in the define block. */
  blockName: string;
}

export interface BlockDefinition {
  name: string;
  blockId: string | null;
  /** Setting names as typed, in order. */
  settings: string[];
  body: BlockState[];
}

/** More nesting than this is surely a mistake, and would make layer ids too long to store. */
const MAX_DEPTH = 6;
const MAX_NAME_LENGTH = 100;

/** Reads every define_block at the top of the workspace; reports nameless and repeated names. */
export function readDefinitions(topBlocks: readonly BlockState[], stackBlocks: (first: unknown) => BlockState[], diagnostics: Diagnostic[]): Map<string, BlockDefinition> {
  const definitions = new Map<string, BlockDefinition>();
  for (const block of topBlocks.filter((b) => b.type === DEFINE_BLOCK_TYPE)) {
    if (isDisabled(block)) continue;
    const name = readText(block, BLOCK_NAME_FIELD);
    const blockId = idOf(block);
    if (name === '') {
      diagnostics.push(problem(blockId, 'empty-block-name', 'This "make a block" block has no name, so no "use" block can use it.', 'Type a short name into it, for example "conv block".'));
      continue;
    }
    if (definitions.has(blockKey(name))) {
      diagnostics.push(
        problem(
          blockId,
          'duplicate-block-name',
          `There is already a block called "${name}", so Layerbook can't tell which one a "use ${name}" block means.`,
          'Give this block a different name, or delete one of the two.',
        ),
      );
      continue;
    }
    const settings = readSettingNames(block);
    definitions.set(blockKey(name), { name, blockId, settings, body: stackBlocks(block.inputs?.[DEFINE_LAYERS_INPUT]?.block) });
  }
  for (const definition of definitions.values()) checkDefinition(definition, definitions, diagnostics);
  return definitions;
}

/**
 * Checks a definition on its own blocks: settings no layer inside has, and any problem with the
 * use blocks inside it (unknown names, a block that uses itself). Problems found again while
 * expanding a copy of it are not repeated on the use blocks.
 */
function checkDefinition(
  definition: BlockDefinition,
  definitions: ReadonlyMap<string, BlockDefinition>,
  diagnostics: Diagnostic[],
): void {
  const expander = new Expander(definitions, diagnostics);
  const inside = expander.expand(definition.body, '', '', [blockKey(definition.name)]);
  const layers = inside.map((b) => layerOf(b.block)).filter((l): l is LayerDefinition => l !== undefined);
  for (const setting of definition.settings) {
    if (layers.some((layer) => findArg(layer, setting))) continue;
    const names = [...new Set(layers.flatMap((l) => l.args.map((a) => a.name)))];
    diagnostics.push(
      problem(
        definition.blockId,
        'unknown-block-setting',
        `None of the layers inside "${definition.name}" has a setting called "${setting}", so it would change nothing.`,
        names.length > 0
          ? `Use the name of a setting of a layer inside, for example ${names.slice(0, 6).map((n) => `"${n}"`).join(', ')}, or remove "${setting}".`
          : `First put layer blocks inside "${definition.name}", then list their settings here.`,
      ),
    );
  }
}

/** Replaces every use block in a stack by a copy of its definition's blocks. */
export class Expander {
  readonly origins = new Map<string, ExpandedOrigin>();
  private count = 0;
  /** Set when a copy being made runs into a block that uses itself further down. */
  private loopThrough: string | null = null;

  constructor(
    private readonly definitions: ReadonlyMap<string, BlockDefinition>,
    private readonly diagnostics: Diagnostic[],
    /** Stop copying after this many blocks: the caller reports "too many blocks" itself. */
    private readonly maxBlocks = 2001,
  ) {}

  /**
   * `prefix` is '' for blocks the student placed there and `<use id>/…` inside a copy. Problems
   * are only reported for the student's own blocks (prefix ''): inside a copy they were
   * already reported on the definition. `expanding` holds the made blocks being copied, to
   * refuse a block that uses itself.
   */
  expand(blocks: readonly BlockState[], prefix: string, scope: string, expanding: readonly string[], origin?: ExpandedOrigin): ExpandedBlock[] {
    const result: ExpandedBlock[] = [];
    const report = (d: Diagnostic) => {
      if (prefix === '') this.diagnostics.push(d);
    };
    for (const block of blocks) {
      if (this.count >= this.maxBlocks) break;
      if (block.type !== USE_BLOCK_TYPE) {
        this.count++;
        result.push({ block: prefix === '' ? block : this.copy(block, prefix, origin!), scope });
        continue;
      }
      if (isDisabled(block)) continue;
      const blockId = idOf(block);
      const name = readText(block, BLOCK_NAME_FIELD);
      const definition = this.definitions.get(blockKey(name));
      if (!definition) {
        report(unknownBlock(blockId, name, this.definitions));
        continue;
      }
      if (expanding.includes(blockKey(name))) {
        this.loopThrough = definition.name;
        report(
          problem(
            blockId,
            'block-uses-itself',
            `"${definition.name}" uses itself (maybe through another block you made), so it would never end.`,
            `Take this "use ${definition.name}" block out of the "make a block called ${definition.name}" block.`,
          ),
        );
        continue;
      }
      if (expanding.length > MAX_DEPTH) {
        report(problem(blockId, 'blocks-nested-too-deep', `Your blocks use each other more than ${MAX_DEPTH} levels deep, which is more than Layerbook can handle.`, 'Put some of the layers straight into the blocks that use them.'));
        continue;
      }
      const values = this.readValues(block, definition, report);
      if (blockId === null) {
        report(problem(null, 'bad-block-id', `A "use ${definition.name}" block has a missing id, so problems can't be shown on it.`, 'Delete that block and drag in a new one.'));
        continue;
      }
      const copyPrefix = `${prefix}${blockId}/`;
      const copyOrigin = origin ?? { useBlockId: blockId, blockName: definition.name };
      if (prefix === '') this.loopThrough = null;
      const inside = this.expand(definition.body, copyPrefix, copyPrefix, [...expanding, blockKey(name)], copyOrigin);
      if (prefix === '' && this.loopThrough !== null) {
        report(
          problem(
            blockId,
            'block-uses-itself',
            `"${definition.name}" ends up using "${this.loopThrough}" inside itself again and again, so it would never end.`,
            'Take the "use" blocks that go round in a circle out of your "make a block" blocks.',
          ),
        );
        continue;
      }
      for (const item of inside) result.push(values.size === 0 ? item : { ...item, block: withSettings(item.block, values) });
    }
    return result;
  }

  /** Whether copying stopped at maxBlocks, so the stack is cut short. */
  get full(): boolean {
    return this.count >= this.maxBlocks;
  }

  /** The use block's "name=value" pairs, keyed by the definition's setting it sets. */
  private readValues(block: BlockState, definition: BlockDefinition, report: (d: Diagnostic) => void): Map<string, string> {
    const values = new Map<string, string>();
    const blockId = idOf(block);
    const allowed = definition.settings.map((s) => `"${s}"`).join(', ');
    for (const pair of splitSettingPairs(readText(block, BLOCK_SETTINGS_FIELD, 1000))) {
      const match = /^([^=]+)=(.*)$/.exec(pair);
      if (!match || match[1]!.trim() === '' || match[2]!.trim() === '') {
        report(problem(blockId, 'bad-block-setting', `Layerbook can't read "${pair}" in this "use ${definition.name}" block.`, 'Write each setting as name=value, separated by commas, for example "filters=32, kernelSize=3".'));
        continue;
      }
      const name = match[1]!.trim();
      const setting = definition.settings.find((s) => settingKey(s) === settingKey(name));
      if (setting === undefined) {
        report(
          problem(
            blockId,
            'setting-not-in-block',
            `"${definition.name}" has no setting called "${name}".`,
            definition.settings.length > 0
              ? `Use one of its settings: ${allowed}. Or add "${name}" to the settings of the "make a block called ${definition.name}" block.`
              : `Add "${name}" to the settings of the "make a block called ${definition.name}" block, or remove it here.`,
          ),
        );
        continue;
      }
      values.set(setting, match[2]!.trim());
    }
    return values;
  }

  private copy(block: BlockState, prefix: string, origin: ExpandedOrigin): BlockState {
    const id = idOf(block);
    // A copy without an id can't be told apart from another: keep it id-less, the reader reports it.
    if (id === null) return { ...block, next: undefined };
    const copied = { ...block, id: prefix + id, next: undefined };
    this.origins.set(copied.id, origin);
    return copied;
  }
}

/** Problems found in a copied layer go on the use block the student sees, saying which layer inside it is meant. */
export function pointAtUseBlocks(diagnostics: readonly Diagnostic[], origins: ReadonlyMap<string, ExpandedOrigin>, labelOf: (layerId: string) => string | null): Diagnostic[] {
  if (origins.size === 0) return [...diagnostics];
  return diagnostics.map((d) => {
    const origin = d.blockId === null ? undefined : origins.get(d.blockId);
    if (!origin) return d;
    const label = labelOf(d.blockId!);
    const where = label ? `Inside your "${origin.blockName}" block, in its ${label} layer: ` : `Inside your "${origin.blockName}" block: `;
    // A quick fix names the copy, which isn't a block in the editor: the student fixes the definition by hand.
    const { quickFix: _dropped, ...rest } = d;
    return { ...rest, blockId: origin.useBlockId, message: where + d.message, fix: `${d.fix} Change it in the "make a block called ${origin.blockName}" block, or in the settings of this "use" block.` };
  });
}

/** Settings on the use block replace the matching field of every layer copied out of the definition. */
function withSettings(block: BlockState, values: ReadonlyMap<string, string>): BlockState {
  const layer = layerOf(block);
  if (!layer) return block;
  const fields = { ...block.fields };
  let changed = false;
  for (const [setting, value] of values) {
    const arg = findArg(layer, setting);
    if (!arg) continue;
    fields[arg.name] = arg.type === 'bool' ? boolField(value) : value;
    changed = true;
  }
  return changed ? { ...block, fields } : block;
}

/** Checkbox fields save TRUE/FALSE; students write true, yes, 1… Anything else goes on for the validator to explain. */
function boolField(value: string): string | boolean {
  const text = value.toLowerCase();
  if (['true', 'yes', 'on', '1'].includes(text)) return 'TRUE';
  if (['false', 'no', 'off', '0'].includes(text)) return 'FALSE';
  return value;
}

/** A setting names an argument by its name or its label, whatever the capitals and spaces: "kernelSize", "kernel size". */
function findArg(layer: LayerDefinition, setting: string): ArgDefinition | undefined {
  const key = settingKey(setting);
  return layer.args.find((a) => settingKey(a.name) === key || settingKey(a.label) === key);
}

function settingKey(name: string): string {
  return name.toLowerCase().replace(/[\s_-]+/g, '');
}

/** "filters=32, kernelSize=3, 3" → ["filters=32", "kernelSize=3, 3"]: a comma only starts a new pair when a name= follows it. */
export function splitSettingPairs(text: string): string[] {
  return text
    .split(/,(?=\s*[A-Za-z_][\w ]*=)/)
    .map((p) => p.trim())
    .filter((p) => p !== '');
}

function readSettingNames(block: BlockState): string[] {
  const names = readText(block, BLOCK_SETTINGS_FIELD, 1000)
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '');
  return [...new Map(names.map((n) => [settingKey(n), n])).values()].slice(0, 32);
}

function unknownBlock(blockId: string | null, name: string, definitions: ReadonlyMap<string, BlockDefinition>): Diagnostic {
  const known = [...definitions.values()].map((d) => `"${d.name}"`);
  if (name === '') return problem(blockId, 'empty-block-name', 'This "use" block has no name, so Layerbook doesn\'t know which block to use.', known.length > 0 ? `Type the name of one of your blocks: ${known.join(', ')}.` : 'First make a block with a "make a block called" block, then type its name here.');
  return problem(
    blockId,
    'unknown-block-name',
    `There is no block called "${name}".`,
    known.length > 0
      ? `Use one of the blocks you made: ${known.join(', ')}. Check the spelling too.`
      : `Make it first: drag a "make a block called" block from "My blocks", call it "${name}" and put layer blocks inside it.`,
  );
}

function layerOf(block: BlockState): LayerDefinition | undefined {
  const key = layerKeyOf(block.type);
  return key === null ? undefined : getLayer(key);
}

function readText(block: BlockState, field: string, max = MAX_NAME_LENGTH): string {
  const raw = block.fields?.[field];
  return typeof raw === 'string' ? raw.trim().slice(0, max) : '';
}

/** Names match whatever the capitals and extra spaces: "Conv Block" is "conv  block". */
function blockKey(name: string): string {
  return name.toLowerCase().replace(/\s+/g, ' ');
}

function isDisabled(block: BlockState): boolean {
  return block.enabled === false || (Array.isArray(block.disabledReasons) && block.disabledReasons.length > 0);
}

function idOf(block: BlockState): string | null {
  return typeof block.id === 'string' && block.id.length > 0 && block.id.length <= 200 ? block.id : null;
}

function problem(blockId: string | null, code: string, message: string, fix: string): Diagnostic {
  return { blockId, severity: 'error', code, message, fix };
}
