import * as Blockly from 'blockly';
import { beforeAll, describe, expect, it } from 'vitest';
import { LAYERS } from '../catalog';
import { buildToolbox, registerLayerBlocks, searchBlocks, SEARCH_CATEGORY_CALLBACK, SEARCH_CATEGORY_NAME, type FlyoutItem } from './index';

const blockTypes = (items: FlyoutItem[]) => items.flatMap((i) => (i.kind === 'block' ? [i.type] : []));
const label = (items: FlyoutItem[]) => items.find((i) => i.kind === 'label');

beforeAll(() => registerLayerBlocks(Blockly));

describe('searchBlocks', () => {
  it('finds the LSTM block for "lstm", first, ready to drag', () => {
    const results = searchBlocks('lstm');
    expect(blockTypes(results)[0]).toBe('layer_lstm');
    expect(label(results)).toMatchObject({ text: expect.stringContaining('"lstm"') });
  });

  it('finds the blocks that build branches, which are not layers', () => {
    expect(blockTypes(searchBlocks('skip'))).toEqual(expect.arrayContaining(['name_output', 'use_output']));
    expect(blockTypes(searchBlocks('use output'))[0]).toBe('use_output');
    expect(blockTypes(searchBlocks('residual'))).toContain('name_output');
  });

  it('ignores case, spaces and dashes inside layer names', () => {
    for (const query of ['Conv2D', 'conv 2d', 'CONV-2D', 'conv2d']) expect(blockTypes(searchBlocks(query))[0], query).toBe('layer_conv2d');
    expect(blockTypes(searchBlocks('max pooling 2d'))[0]).toBe('layer_maxPooling2d');
  });

  it('matches Keras and TF.js names and words from the description, name matches first', () => {
    expect(blockTypes(searchBlocks('InputLayer'))).toEqual(['layer_input']);
    const pooling = blockTypes(searchBlocks('pool'));
    expect(pooling).toContain('layer_globalAveragePooling2d');
    expect(pooling.every((t) => /pool/i.test(t))).toBe(true);
    expect(blockTypes(searchBlocks('neurons'))).toContain('layer_dense');
    expect(blockTypes(searchBlocks('recurrent'))).toEqual(expect.arrayContaining(['layer_lstm', 'layer_gru', 'layer_simpleRnn']));
  });

  it('needs every word typed to match', () => {
    const both = blockTypes(searchBlocks('dropout 1d'));
    expect(both).toEqual(['layer_spatialDropout1d']);
  });

  it('finds the model block too', () => {
    expect(blockTypes(searchBlocks('model'))[0]).toBe('model');
  });

  it('says what to try when nothing matches or nothing was typed', () => {
    expect(searchBlocks('zebra')).toEqual([{ kind: 'label', text: expect.stringMatching(/No block matches "zebra".*Dense/) }]);
    expect(blockTypes(searchBlocks('   '))).toEqual([]);
    expect(label(searchBlocks(''))!.text).toMatch(/Search blocks/);
  });

  it('only returns block types Blockly knows', () => {
    const all = new Set(LAYERS.flatMap((l) => blockTypes(searchBlocks(l.label))));
    for (const type of all) expect(Blockly.Blocks[type], type).toBeDefined();
    expect(all.size).toBe(LAYERS.length);
  });
});

describe('buildToolbox with search', () => {
  it('puts a dynamic "Search results" category first and keeps the rest as without search', () => {
    const plain = buildToolbox() as { contents: unknown[] };
    const withSearch = buildToolbox({ search: true }) as { contents: unknown[] };
    expect(withSearch.contents[0]).toMatchObject({ kind: 'category', name: SEARCH_CATEGORY_NAME, custom: SEARCH_CATEGORY_CALLBACK });
    expect(withSearch.contents.slice(1)).toEqual(plain.contents);
  });
});
