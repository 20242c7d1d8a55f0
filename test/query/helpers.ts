import assert from 'node:assert/strict';
import { createSkillRunner, type SkillRunner } from '../../src/index.js';
import type { SkillInput, SkillOutput } from '../../src/contract/types.generated.js';
import { isolated, tempDir, valid } from '../helpers/tmp.js';

export interface QueryFixture {
  dir: string;
  runner: SkillRunner;
  /** Runs one call; the output must validate against the output schema. */
  call(input: Record<string, unknown>): Promise<SkillOutput>;
  /** Runs a successful call (asserting success). */
  ok(input: Record<string, unknown>): Promise<SkillOutput>;
  /** A `query` call on project p (success asserted); returns the `query` object. */
  query(queryConfig: Record<string, unknown>, extra?: Record<string, unknown>): Promise<Record<string, unknown>>;
  /** Makes a finished run with config, a history of rows, tags and other run fields. */
  run(
    id: string,
    fields: {
      config?: Record<string, unknown>;
      rows?: Array<Record<string, unknown>>;
      tags?: string[];
      group?: string;
      jobType?: string;
      name?: string;
      project?: string;
      finish?: boolean;
    },
  ): Promise<void>;
  close(): void;
}

export function queryFixture(t: { after(fn: () => unknown): void }, env: Record<string, string> = {}): QueryFixture {
  const { dir, cleanup } = tempDir();
  const runner = createSkillRunner(isolated(dir, env));
  t.after(() => {
    runner.close();
    cleanup();
  });
  const call = async (input: Record<string, unknown>): Promise<SkillOutput> => valid(await runner.execute(input as unknown as SkillInput));
  const ok = async (input: Record<string, unknown>): Promise<SkillOutput> => {
    const out = await call(input);
    assert.equal(out.status, 'success', JSON.stringify(out));
    return out;
  };
  return {
    dir,
    runner,
    call,
    ok,
    async query(queryConfig, extra = {}) {
      const out = await ok({ action: 'query', project: 'p', queryConfig, ...extra });
      assert.ok(out.query !== undefined);
      return out.query as Record<string, unknown>;
    },
    async run(id, f) {
      const project = f.project ?? 'p';
      const runConfig: Record<string, unknown> = { id, config: f.config ?? {} };
      if (f.tags !== undefined) runConfig['tags'] = f.tags;
      if (f.group !== undefined) runConfig['group'] = f.group;
      if (f.jobType !== undefined) runConfig['jobType'] = f.jobType;
      if (f.name !== undefined) runConfig['name'] = f.name;
      await ok({ action: 'init', project, runConfig });
      for (const row of f.rows ?? []) await ok({ action: 'log', project, runId: id, logData: { metrics: row } });
      if (f.finish !== false) await ok({ action: 'finish', project, runId: id });
    },
    close: () => runner.close(),
  };
}

/** The run ids of a `runs` answer, in order. */
export function ids(q: Record<string, unknown>): string[] {
  return (q['runs'] as Array<{ runId: string }>).map((r) => r.runId);
}
