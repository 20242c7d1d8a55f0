#!/usr/bin/env node
// The executable: the only place that touches `process`.
import { run } from './main.js';

void run(process.argv.slice(2), {
  stdin: process.stdin,
  stdout: process.stdout,
  stderr: process.stderr,
  env: process.env,
  cwd: process.cwd(),
  signals: process,
}).then((code) => {
  process.exitCode = code;
});
