// Runs every compiled test file under dist/test with node's test runner, streams its TAP output, and
// ends with one plain line of counts ("N passed, N failed, N skipped") so CI reads the result.
import { spawn } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const only = process.argv.slice(2);
function collect(dir) {
  const out = [];
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) out.push(...collect(p));
    else if (name.endsWith('.test.js')) out.push(p);
  }
  return out;
}
let files = collect(join(root, 'dist', 'test')).sort();
if (only.length > 0) files = files.filter((f) => only.some((o) => f.includes(o)));
const child = spawn(process.execPath, ['--test', '--test-reporter=tap', ...files], {
  stdio: ['ignore', 'pipe', 'inherit'],
  env: { ...process.env, WANDB_SKILL_TEST: '1' },
});
let pass = 0,
  fail = 0,
  skipped = 0,
  tail = '';
child.stdout.on('data', (chunk) => {
  process.stdout.write(chunk);
  tail += chunk.toString();
  const lines = tail.split('\n');
  tail = lines.pop() ?? '';
  for (const line of lines) {
    let m;
    if ((m = /^# pass (\d+)/.exec(line))) pass = Number(m[1]);
    else if ((m = /^# fail (\d+)/.exec(line))) fail = Number(m[1]);
    else if ((m = /^# skipped (\d+)/.exec(line))) skipped = Number(m[1]);
  }
});
child.on('close', (code) => {
  process.stdout.write(`\n${pass} passed, ${fail} failed, ${skipped} skipped\n`);
  process.exitCode = code === 0 && fail === 0 ? 0 : 1;
});
