import { test } from 'node:test';
import assert from 'node:assert/strict';
import { runCli } from '../helpers/cli.js';
import { tempDir } from '../helpers/tmp.js';

test('review, item 16: the way to read a cut summary works as written (it names the project), through the CLI', async (t) => {
  const { dir, cleanup } = tempDir();
  t.after(cleanup);
  const env = { WANDB_DIR: dir };
  const init = JSON.parse((await runCli(['{"action":"init","project":"wide"}'], { cwd: dir, env })).stdout) as { runId: string };
  const metrics: Record<string, number> = {};
  for (let i = 0; i < 250; i++) metrics[`m${i}`] = i;
  await runCli([JSON.stringify({ action: 'log', project: 'wide', runId: init.runId, logData: { metrics } })], { cwd: dir, env });
  const fin = JSON.parse((await runCli([JSON.stringify({ action: 'finish', project: 'wide', runId: init.runId })], { cwd: dir, env })).stdout) as {
    warnings?: string[];
  };
  const hint = fin.warnings?.find((w) => w.includes('Read them all with'));
  assert.ok(hint !== undefined, JSON.stringify(fin.warnings));
  const call = /Read them all with (\{.*\}) \(its file/.exec(hint)?.[1];
  assert.ok(call !== undefined, hint);
  const res = await runCli([call.replace('<a metric>', 'm1')], { cwd: dir, env });
  const out = JSON.parse(res.stdout) as { status: string; error?: unknown };
  assert.equal(out.status, 'success', `the hint ${call} answered ${res.stdout}`);
});
