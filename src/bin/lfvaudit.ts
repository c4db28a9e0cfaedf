#!/usr/bin/env node
import os from 'node:os';
import { main } from '../cli/main.js';
import { collectGarbageFully } from './full-garbage-collection.js';
import { limitHeapGrowth } from './heap-growth.js';

// The only module that touches the process: argv in, exit status out.
const controller = new AbortController();
process.once('SIGINT', () => controller.abort());
process.once('SIGTERM', () => controller.abort());

main(process.argv.slice(2), {
  stdout: process.stdout,
  stderr: process.stderr,
  cwd: process.cwd(),
  env: process.env,
  now: () => new Date(),
  pid: process.pid,
  hostname: os.hostname(),
  signal: controller.signal,
  collectGarbage: collectGarbageFully,
  limitHeapGrowth,
}).then(
  (status) => {
    process.exitCode = status;
  },
  (error: unknown) => {
    process.stderr.write(`lfvaudit: internal error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exitCode = 2;
  },
);
