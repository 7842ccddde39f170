import { describe, expect, it } from 'vitest';
import { DEFAULT_MAX_PARAMS } from '../blocks/compile';
import { loadEnv } from './env';

describe('loadEnv', () => {
  it('uses the built-in database and defaults when nothing is set', () => {
    expect(loadEnv({ DATABASE_URL: '' })).toMatchObject({
      PORT: 3000,
      HOST: '0.0.0.0',
      DATABASE_URL: undefined,
      LAYERBOOK_DATA_DIR: './data/pglite',
      LAYERBOOK_MAX_PARAMS: DEFAULT_MAX_PARAMS,
    });
  });

  it('reads the settings a school server gives it', () => {
    const env = loadEnv({ PORT: '8080', DATABASE_URL: 'postgres://lb@db/lb', LAYERBOOK_MAX_PARAMS: '20000000', LAYERBOOK_BACKEND: 'cpu' });
    expect(env).toMatchObject({ PORT: 8080, DATABASE_URL: 'postgres://lb@db/lb', LAYERBOOK_MAX_PARAMS: 20_000_000, LAYERBOOK_BACKEND: 'cpu' });
  });

  it('stops with every wrong variable named', () => {
    expect(() => loadEnv({ PORT: 'eighty', DATABASE_URL: 'mysql://x', LAYERBOOK_MAX_PARAMS: '-5' })).toThrowError(
      /PORT: PORT must be a number[\s\S]*DATABASE_URL: DATABASE_URL must start with postgres:\/\/[\s\S]*LAYERBOOK_MAX_PARAMS: LAYERBOOK_MAX_PARAMS must be a whole number/,
    );
  });
});
