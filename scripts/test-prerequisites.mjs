#!/usr/bin/env node
// First step of `npm test`: the Debian packages some tests run against. Missing ones are
// installed when this runs as root on a machine with apt-get (a fresh CI box or container);
// anywhere else it stops and prints the one command that installs them.
import { existsSync } from 'node:fs';
import { spawnSync } from 'node:child_process';

const chromium = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const needs = [
  { pkg: 'chromium', why: 'the browser tests', present: () => existsSync(chromium) },
  {
    pkg: 'dataset-fashion-mnist',
    why: 'the IDX import test (all 70,000 Fashion-MNIST pictures)',
    present: () => existsSync('/usr/share/datasets/fashion-mnist/train-images-idx3-ubyte.gz'),
  },
  {
    pkg: 'python3-torch',
    why: 'running the PyTorch export in PyTorch',
    present: () => spawnSync('/usr/bin/python3', ['-c', 'import torch'], { stdio: 'ignore', timeout: 120_000 }).status === 0,
  },
];

const missing = needs.filter((need) => !need.present());
if (missing.length === 0) process.exit(0);

const packages = missing.map((need) => need.pkg);
const command = `apt-get install -y --no-install-recommends ${packages.join(' ')}`;
const hasApt = spawnSync('apt-get', ['--version'], { stdio: 'ignore' }).status === 0;
const isRoot = process.getuid?.() === 0;

if (!isRoot || !hasApt) {
  console.error('npm test needs Debian packages that are not installed:');
  for (const need of missing) console.error(`  ${need.pkg} (for ${need.why})`);
  console.error(hasApt ? `Install them, then run npm test again:\n  sudo ${command}` : `This machine has no apt-get; install the same programs another way:\n  ${packages.join(', ')}`);
  process.exit(1);
}

console.log(`--- installing ${packages.join(', ')} for the tests`);
const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
for (const args of [['update', '-qq'], command.split(' ').slice(1)]) {
  const result = spawnSync('apt-get', args, { stdio: 'inherit', env });
  if (result.status !== 0) {
    console.error(`apt-get ${args.join(' ')} failed (exit ${result.status}). Install the packages yourself:\n  ${command}`);
    process.exit(1);
  }
}
const stillMissing = missing.filter((need) => !need.present());
if (stillMissing.length > 0) {
  console.error(`Installed, but still missing: ${stillMissing.map((need) => need.pkg).join(', ')}.`);
  process.exit(1);
}
