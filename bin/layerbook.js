#!/usr/bin/env node
// Plain JavaScript so `npx layerbook` runs without a build step: it teaches Node to load
// TypeScript (tsx, resolved next to this file, so any working directory works) and hands
// over to cli.ts.
import { register } from 'tsx/esm/api';

register();
const { main } = await import('./cli.ts');
process.exitCode = await main(process.argv.slice(2), { stdout: process.stdout, stderr: process.stderr });
