// Blockly fetches its click sounds from the internet unless it is given a local media
// folder; copy the one of the installed version so the two can never drift apart.
import { cpSync, existsSync, mkdirSync } from 'node:fs';
const from = 'node_modules/blockly/media';
const to = 'public/blockly-media';
if (existsSync(from)) {
  mkdirSync('public', { recursive: true });
  cpSync(from, to, { recursive: true });
}
