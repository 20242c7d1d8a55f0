import type { TestContext } from 'node:test';
import { createSkillRunner, type SkillOptions, type SkillRunner } from '../../src/index.js';
import type { SkillInput, SkillOutput } from '../../src/contract/types.generated.js';
import { startWandbServer, type WandbTestServer } from './wandb-server.js';
import { isolated, tempDir, valid } from './tmp.js';

export interface OnlineSetup {
  dir: string;
  server: WandbTestServer;
  runner: SkillRunner;
  /** One call through the runner; its output is checked against the output schema. */
  call: (input: Record<string, unknown>) => Promise<SkillOutput>;
}

/**
 * An online runner in its own folder, pointed at a fresh W&B-protocol test server, replicating
 * before each call returns; all three are closed after the test. `env` adds to the online settings.
 */
export async function onlineRunner(t: TestContext, env: Record<string, string> = {}): Promise<OnlineSetup> {
  const { dir, cleanup } = tempDir();
  t.after(cleanup);
  const server = await startWandbServer();
  t.after(() => server.close());
  const runner = createSkillRunner({
    ...isolated(dir, { WANDB_MODE: 'online', WANDB_API_KEY: server.apiKey, WANDB_BASE_URL: server.url, ...env }),
    replication: 'sync',
  } satisfies SkillOptions);
  t.after(() => runner.close());
  return { dir, server, runner, call: async (input) => valid(await runner.execute(input as unknown as SkillInput)) };
}
