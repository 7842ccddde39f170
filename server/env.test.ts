import { describe, expect, it } from 'vitest';
import { DEFAULT_MAX_PARAMS } from '../blocks/compile';
import { DEFAULT_RATE_LIMITS } from './rate-limit/rules';
import { loadEnv, rateLimitSettings } from './env';

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

  it('reads the queue limits, with defaults of one running and three waiting runs per student and 30 minutes a run', () => {
    expect(loadEnv({})).toMatchObject({
      LAYERBOOK_MAX_RUNNING_PER_USER: 1,
      LAYERBOOK_MAX_QUEUED_PER_USER: 3,
      LAYERBOOK_RUN_TIME_LIMIT_S: 1800,
    });
    expect(loadEnv({ LAYERBOOK_MAX_RUNNING_PER_USER: '2', LAYERBOOK_MAX_QUEUED_PER_USER: '5', LAYERBOOK_RUN_TIME_LIMIT_S: '60' })).toMatchObject({
      LAYERBOOK_MAX_RUNNING_PER_USER: 2,
      LAYERBOOK_MAX_QUEUED_PER_USER: 5,
      LAYERBOOK_RUN_TIME_LIMIT_S: 60,
    });
    expect(() => loadEnv({ LAYERBOOK_RUN_TIME_LIMIT_S: '0' })).toThrowError(
      /LAYERBOOK_RUN_TIME_LIMIT_S must be a whole number above 0, like 1800/,
    );
  });

  it('caps each training process at 3072 MB unless told otherwise', () => {
    expect(loadEnv({})).toMatchObject({ LAYERBOOK_TRAINING_MEMORY_MB: 3072 });
    expect(loadEnv({ LAYERBOOK_TRAINING_MEMORY_MB: '1536' })).toMatchObject({ LAYERBOOK_TRAINING_MEMORY_MB: 1536 });
    expect(() => loadEnv({ LAYERBOOK_TRAINING_MEMORY_MB: '3GB' })).toThrowError(/LAYERBOOK_TRAINING_MEMORY_MB must be a whole number above 0, like 3072/);
  });

  it('reads the upload limits: 20 MB for CSV files and pictures, 64 MB for IDX files (Fashion-MNIST is 31 MB)', () => {
    expect(loadEnv({})).toMatchObject({ LAYERBOOK_MAX_UPLOAD_BYTES: 20 * 1024 * 1024, LAYERBOOK_MAX_IDX_UPLOAD_BYTES: 64 * 1024 * 1024 });
    expect(loadEnv({ LAYERBOOK_MAX_UPLOAD_BYTES: '1000', LAYERBOOK_MAX_IDX_UPLOAD_BYTES: '104857600' })).toMatchObject({
      LAYERBOOK_MAX_UPLOAD_BYTES: 1000,
      LAYERBOOK_MAX_IDX_UPLOAD_BYTES: 104_857_600,
    });
    expect(() => loadEnv({ LAYERBOOK_MAX_IDX_UPLOAD_BYTES: '64MB' })).toThrowError(/LAYERBOOK_MAX_IDX_UPLOAD_BYTES must be a whole number above 0, like 67108864/);
  });

  it('reads the request limits: 32 MB for API bodies (a full notebook save is 25 MB), 50 million pixels per picture upload', () => {
    expect(loadEnv({})).toMatchObject({ LAYERBOOK_MAX_API_BODY_BYTES: 32 * 1024 * 1024, LAYERBOOK_MAX_UPLOAD_PIXELS: 50_000_000 });
    expect(loadEnv({ LAYERBOOK_MAX_API_BODY_BYTES: '1048576', LAYERBOOK_MAX_UPLOAD_PIXELS: '1000000' })).toMatchObject({
      LAYERBOOK_MAX_API_BODY_BYTES: 1_048_576,
      LAYERBOOK_MAX_UPLOAD_PIXELS: 1_000_000,
    });
    expect(() => loadEnv({ LAYERBOOK_MAX_UPLOAD_PIXELS: 'lots' })).toThrowError(/LAYERBOOK_MAX_UPLOAD_PIXELS must be a whole number above 0/);
  });

  it('reads the origins students open and whether to trust a proxy, off and from the Host header by default', () => {
    expect(loadEnv({})).toMatchObject({ LAYERBOOK_ORIGIN: [], LAYERBOOK_TRUST_PROXY: false });
    expect(loadEnv({ LAYERBOOK_ORIGIN: 'https://layerbook.school.example/, http://lb.local:8080', LAYERBOOK_TRUST_PROXY: '1' })).toMatchObject({
      LAYERBOOK_ORIGIN: ['https://layerbook.school.example', 'http://lb.local:8080'],
      LAYERBOOK_TRUST_PROXY: true,
    });
    expect(loadEnv({ LAYERBOOK_TRUST_PROXY: '0' }).LAYERBOOK_TRUST_PROXY).toBe(false);
    expect(() => loadEnv({ LAYERBOOK_ORIGIN: 'layerbook.school.example' })).toThrowError(/LAYERBOOK_ORIGIN must be the address students open, like https:\/\/layerbook.school.example/);
    expect(() => loadEnv({ LAYERBOOK_TRUST_PROXY: 'maybe' })).toThrowError(/LAYERBOOK_TRUST_PROXY must be 1 \(on\) or 0 \(off\)/);
  });

  it('reads the rate limits, each its default when unset, and says how to write one', () => {
    expect(rateLimitSettings(loadEnv({}))).toEqual(DEFAULT_RATE_LIMITS);
    const env = loadEnv({ LAYERBOOK_RATE_JOINS_PER_USER: '5/minute', LAYERBOOK_RATE_SESSIONS_PER_IP: '1000/hour' });
    expect(rateLimitSettings(env)).toEqual({
      ...DEFAULT_RATE_LIMITS,
      joinPerUser: { points: 5, durationSeconds: 60 },
      sessionPerIp: { points: 1000, durationSeconds: 3600 },
    });
    expect(() => loadEnv({ LAYERBOOK_RATE_SAVES_PER_USER: 'lots' })).toThrowError(
      /LAYERBOOK_RATE_SAVES_PER_USER must be a number of tries per time, like 10\/minute or 300\/hour \(default 120\/minute\)/,
    );
  });
});
