import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ResourceListChangedNotificationSchema, type Progress } from '@modelcontextprotocol/sdk/types.js';
import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { tempDir, repoRoot } from '../helpers/tmp.js';
import { ok, outputOf, stdioClient } from './helpers.js';

/** The text of a resource. */
async function textOf(client: Client, params: { uri: string }): Promise<string> {
  const c = (await client.readResource(params)).contents[0];
  assert.ok(c !== undefined && 'text' in c);
  return c.text;
}

const actions = (JSON.parse(readFileSync(join(repoRoot, 'schemas', 'input.schema.json'), 'utf8')) as { properties: { action: { enum: string[] } } }).properties
  .action.enum;

test('the SDK client over stdio drives a whole experiment: tools, errors, resources, progress', async () => {
  const { dir, cleanup } = tempDir('wandb-skill-mcp-');
  const { client, stderr, progressOf } = await stdioClient(dir);
  try {
    let listChanged = 0;
    client.setNotificationHandler(ResourceListChangedNotificationSchema, () => void listChanged++);

    // One tool per action of the schema, each with the contract's input (action fixed) and output schemas.
    const { tools } = await client.listTools();
    assert.deepEqual(
      tools.map((t) => t.name),
      actions,
    );
    for (const t of tools) {
      assert.deepEqual((t.inputSchema.properties as Record<string, { const?: string }>)['action']?.const, t.name);
      assert.ok(!(t.inputSchema.required ?? []).includes('action'), 'action may be left out');
      assert.equal(t.outputSchema?.['title'], 'SkillOutput');
      assert.ok((t.description ?? '').length > 80, `${t.name} has a description an agent can act on`);
    }
    assert.ok((tools.find((t) => t.name === 'log')?.inputSchema.required ?? []).includes('logData'), 'log requires logData');
    assert.ok(!(tools.find((t) => t.name === 'init')?.inputSchema.required ?? []).includes('logData'), "init does not inherit log's requirement");
    assert.deepEqual((await client.listResources()).resources, [], 'no store yet: no resources, and none is created by listing');

    // init, logs, finish
    const init = ok(await client.callTool({ name: 'init', arguments: { project: 'mcp', runConfig: { name: 'baseline', config: { lr: 0.01 } } } }));
    const runId = init['runId'] as string;
    assert.equal(init['created'], true);
    for (let i = 0; i < 5; i++)
      ok(await client.callTool({ name: 'log', arguments: { project: 'mcp', runId, logData: { metrics: { loss: 1 / (i + 1), acc: i / 5 } } } }));
    const fin = ok(await client.callTool({ name: 'finish', arguments: { project: 'mcp', runId, exitCode: 0 } }));
    assert.equal(fin['state'], 'finished');
    assert.equal(fin['historyLength'], 5);

    // A refused call: isError, with the skill's own error document.
    const refused = outputOf(await client.callTool({ name: 'log', arguments: { project: 'mcp', runId: 'nosuchrun', logData: { metrics: { x: 1 } } } }));
    assert.equal(refused.error?.code, 'NOT_FOUND');
    const invalid = outputOf(await client.callTool({ name: 'log', arguments: { project: 'mcp', runId } }));
    assert.equal(invalid.error?.code, 'INVALID_INPUT');
    const mismatch = outputOf(await client.callTool({ name: 'log', arguments: { action: 'init', project: 'mcp' } }));
    assert.equal(mismatch.error?.code, 'INVALID_INPUT');

    // A sweep: create, next run, log, finish.
    const sweep = ok(
      await client.callTool({
        name: 'sweep',
        arguments: { project: 'mcp', sweepConfig: { method: 'grid', metric: { name: 'loss', goal: 'minimize' }, parameters: { lr: { values: [0.1, 0.01] } } } },
      }),
    );
    const sweepId = sweep['sweepId'] as string;
    const next = ok(await client.callTool({ name: 'sweep', arguments: { project: 'mcp', operation: 'next', sweepId } }));
    const trial = next['runId'] as string;
    ok(await client.callTool({ name: 'log', arguments: { project: 'mcp', runId: trial, logData: { metrics: { loss: 0.3 } } } }));
    ok(await client.callTool({ name: 'finish', arguments: { project: 'mcp', runId: trial, exitCode: 0 } }));

    // An artifact, with progress notifications for the request's progress token.
    const data = join(dir, 'data');
    mkdirSync(data);
    // Large enough that hashing outlasts the first notification by far (see progress.ts on the client's race).
    for (let i = 0; i < 16; i++) writeFileSync(join(data, `part-${i}.bin`), Buffer.alloc(256 * 1024, i));
    const art = ok(
      await client.callTool({
        name: 'artifact',
        arguments: { project: 'mcp', runId, artifactConfig: { name: 'dataset', type: 'dataset', path: data } },
        _meta: { progressToken: 'artifact' },
      }),
    );
    assert.equal((art['artifact'] as { version: string }).version, 'v0');
    const progress = progressOf('artifact');
    assert.ok(progress.length >= 1, 'at least one progress notification, before the result');
    for (const p of progress) {
      assert.equal(p.total, 16 * 256 * 1024);
      assert.ok(p.progress > 0 && p.progress <= 16 * 256 * 1024);
    }
    for (let i = 1; i < progress.length; i++) assert.ok((progress[i] as Progress).progress > (progress[i - 1] as Progress).progress, 'progress only increases');

    // A report (with progress: the runs whose histories it has read), then every resource kind listed and read.
    const report = ok(
      await client.callTool({
        name: 'report',
        arguments: { project: 'mcp', reportConfig: { title: 'MCP report', metrics: ['loss'], format: 'markdown' } },
        _meta: { progressToken: 'report' },
      }),
    );
    const reportProgress = progressOf('report');
    assert.ok(reportProgress.length >= 1, 'a report sends progress');
    for (const p of reportProgress) {
      assert.equal(p.total, 2, 'two runs in the project');
      assert.match(p.message ?? '', /^report MCP report: \d of 2 runs$/);
    }
    const reportPath = (report['report'] as { path: string }).path;
    const { resources } = await client.listResources();
    const uris = resources.map((r) => r.uri);
    assert.ok(uris.includes(`wandb://mcp/runs/${runId}`), uris.join(' '));
    assert.ok(uris.includes(`wandb://mcp/runs/${trial}`));
    assert.ok(uris.includes(`wandb://mcp/sweeps/${sweepId}`));
    assert.ok(uris.includes('wandb://mcp/artifacts/dataset%3Av0'));
    const reportUri = uris.find((u) => u.startsWith('wandb://mcp/reports/'));
    assert.ok(reportUri !== undefined);

    const run = JSON.parse(await textOf(client, { uri: `wandb://mcp/runs/${runId}` })) as Record<string, unknown>;
    assert.equal(run['state'], 'finished');
    assert.deepEqual(run['config'], { lr: 0.01 });
    assert.equal((run['summary'] as Record<string, unknown>)['loss'], 0.2);
    const sw = JSON.parse(await textOf(client, { uri: `wandb://mcp/sweeps/${sweepId}` })) as Record<string, unknown>;
    assert.deepEqual(sw['runIds'], [trial]);
    const ds = JSON.parse(await textOf(client, { uri: 'wandb://mcp/artifacts/dataset:v0' })) as Record<string, unknown>;
    assert.equal(ds['fileCount'], 16);
    assert.deepEqual(ds['aliases'], ['latest']);
    const rep = (await client.readResource({ uri: reportUri })).contents[0] as { mimeType: string; text: string };
    assert.equal(rep.mimeType, 'text/markdown');
    assert.equal(rep.text, readFileSync(reportPath, 'utf8'));
    await assert.rejects(client.readResource({ uri: 'wandb://mcp/runs/nosuchrun' }), /not found/);
    const { resourceTemplates } = await client.listResourceTemplates();
    assert.ok(resourceTemplates.some((t) => t.uriTemplate === 'wandb://{project}/runs/{runId}'));

    // Nothing for a request trails its result: later calls brought no more of its progress.
    assert.equal(progressOf('artifact').length, progress.length);
    assert.equal(progressOf('report').length, reportProgress.length);

    // Queries read it back: runs by a filter and an order, sampled history, the sweep's best run, a comparison.
    const query = async (queryConfig: Record<string, unknown>, extra: Record<string, unknown> = {}) =>
      ok(await client.callTool({ name: 'query', arguments: { project: 'mcp', queryConfig, ...extra } }))['query'] as Record<string, unknown>;
    assert.match(tools.find((t) => t.name === 'query')?.description ?? '', /filters/);
    const found = await query({ filters: { 'summary_metrics.loss': { $lt: 0.5 } }, order: '+summary_metrics.loss' });
    assert.deepEqual(
      (found['runs'] as Array<{ runId: string }>).map((r) => r.runId),
      [runId, trial],
    );
    const hist = (await query({ kind: 'history', keys: ['loss'], samples: 2 }, { runId }))['history'] as {
      series: { loss: Array<{ firstStep: number; lastStep: number }> };
    };
    // Aligned power-of-two buckets (src/history/sampled.ts): 5 rows in at most 2 buckets are 4 rows and 1.
    assert.deepEqual(
      hist.series.loss.map((p) => [p.firstStep, p.lastStep]),
      [
        [0, 3],
        [4, 4],
      ],
    );
    const best = (await query({ kind: 'sweep' }, { sweepId }))['sweep'] as { bestRun: { runId: string } };
    assert.equal(best.bestRun.runId, trial);
    const cmp = (await query({ kind: 'compare', runIds: [runId, trial], keys: ['loss'] }))['comparison'] as { metrics: { loss: { bestRun: string } } };
    assert.equal(cmp.metrics.loss.bestRun, runId);

    // init created runs (and a sweep, an artifact, a report were added): clients heard the list changed.
    assert.ok(listChanged >= 2, `list_changed notifications: ${listChanged}`);
  } finally {
    await client.close();
    cleanup();
  }
  assert.doesNotMatch(stderr(), /\n\s+at /, 'no stack trace on stderr');
});

test('a cancelled request returns at once; the call ends in the background and the store stays whole', async () => {
  const { dir, cleanup } = tempDir('wandb-skill-mcp-');
  const { client } = await stdioClient(dir);
  try {
    const init = ok(await client.callTool({ name: 'init', arguments: { project: 'c' } }));
    const data = join(dir, 'big');
    mkdirSync(data);
    for (let i = 0; i < 64; i++) writeFileSync(join(data, `f-${i}.bin`), Buffer.alloc(512 * 1024, i));
    const controller = new AbortController();
    let abortedAt = 0;
    const call = client.callTool(
      { name: 'artifact', arguments: { project: 'c', runId: init['runId'], artifactConfig: { name: 'big', type: 'dataset', path: data } } },
      undefined,
      {
        signal: controller.signal,
        onprogress: () => {
          if (abortedAt === 0) {
            abortedAt = Date.now();
            controller.abort();
          }
        },
      },
    );
    await assert.rejects(call);
    assert.ok(abortedAt > 0, 'progress arrived, and the request was cancelled on it');
    assert.ok(Date.now() - abortedAt < 1000, 'the aborted request returned promptly');
    // Calls do not wait for one another; the cancelled call commits whole or not at all.
    ok(await client.callTool({ name: 'log', arguments: { project: 'c', runId: init['runId'], logData: { metrics: { x: 1 } } } }));
    const list = (await client.listResources()).resources.map((r) => r.uri);
    if (list.includes('wandb://c/artifacts/big%3Av0')) {
      const v = JSON.parse(await textOf(client, { uri: 'wandb://c/artifacts/big:v0' })) as Record<string, unknown>;
      assert.equal(v['fileCount'], 64);
    }
  } finally {
    await client.close();
    cleanup();
  }
});

test('calls side by side: each request hears only its own progress, and both results come back', async () => {
  const { dir, cleanup } = tempDir('wandb-skill-mcp-');
  const { client, progressOf } = await stdioClient(dir);
  try {
    const init = ok(await client.callTool({ name: 'init', arguments: { project: 'two' } }));
    const folder = (name: string, files: number): string => {
      const path = join(dir, name);
      mkdirSync(path);
      for (let i = 0; i < files; i++) writeFileSync(join(path, `f-${i}.bin`), Buffer.alloc(512 * 1024, i + files));
      return path;
    };
    const sizes = { a: 8, b: 12 } as const;
    const call = (name: 'a' | 'b') =>
      client.callTool({
        name: 'artifact',
        arguments: { project: 'two', runId: init['runId'], artifactConfig: { name, type: 'dataset', path: folder(name, sizes[name]) } },
        _meta: { progressToken: `token-${name}` },
      });
    // A quick call beside them is answered too (its own request, no progress asked).
    const [a, b, logged] = await Promise.all([
      call('a'),
      call('b'),
      client.callTool({ name: 'log', arguments: { project: 'two', runId: init['runId'], logData: { metrics: { x: 1 } } } }),
    ]);
    assert.equal((ok(a)['artifact'] as { name: string }).name, 'a');
    assert.equal((ok(b)['artifact'] as { name: string }).name, 'b');
    assert.equal(ok(logged)['step'], 0);
    for (const name of ['a', 'b'] as const) {
      const heard = progressOf(`token-${name}`);
      assert.ok(heard.length >= 1, `${name} heard progress`);
      for (const p of heard) {
        assert.equal(p.total, sizes[name] * 512 * 1024, `${name} heard only its own work`);
        assert.match(p.message ?? '', new RegExp(`^artifact ${name}: `));
      }
    }
  } finally {
    await client.close();
    cleanup();
  }
});
