import { defineConfig } from '@playwright/test';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

// Every run gets an empty embedded database of its own: the same zero-setup path as
// `npm start`, and no run sees another run's notebooks.
const dataDir = process.env.LAYERBOOK_E2E_DATA_DIR ?? createDataDir();

/**
 * Playwright loads this file again in each worker process; they inherit the variable and so
 * reuse the folder instead of making empty ones. The process that made it removes it at exit
 * (after the web server has stopped), so runs do not pile up 40 MB databases in /tmp.
 */
function createDataDir(): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'layerbook-e2e-'));
  process.env.LAYERBOOK_E2E_DATA_DIR = dir;
  process.on('exit', () => rmSync(dir, { recursive: true, force: true }));
  return dir;
}
const port = Number(process.env.E2E_PORT ?? 3210);

export default defineConfig({
  testDir: '.',
  testMatch: '*.spec.ts',
  fullyParallel: false,
  workers: 1,
  retries: 0,
  timeout: 180_000,
  expect: { timeout: 20_000 },
  reporter: [['list']],
  outputDir: '../test-results',
  use: {
    baseURL: `http://127.0.0.1:${port}`,
    launchOptions: {
      executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
    },
    trace: 'retain-on-failure',
    screenshot: 'only-on-failure',
  },
  webServer: {
    command: 'node --import tsx server/main.ts',
    cwd: '..',
    url: `http://127.0.0.1:${port}/api/health`,
    timeout: 120_000,
    reuseExistingServer: false,
    stdout: 'pipe',
    stderr: 'pipe',
    env: { PORT: String(port), HOST: '127.0.0.1', LAYERBOOK_DATA_DIR: dataDir, DATABASE_URL: '' },
  },
});
