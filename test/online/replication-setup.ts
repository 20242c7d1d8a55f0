// The shared fixture of the replication tests: a fake W&B server per test, checks that it saw only
// valid traffic, and the environment that selects online mode against it.
import assert from 'node:assert/strict';
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { startWandbServer, type WandbTestServer } from '../helpers/wandb-server.js';

export const ENTITY = 'test-team';

export async function server(t: { after: (fn: () => unknown) => void }): Promise<WandbTestServer> {
  const s = await startWandbServer({ entity: ENTITY });
  t.after(() => s.close());
  return s;
}

export function clean(s: WandbTestServer): void {
  assert.deepEqual(s.invalidDocuments, [], 'every GraphQL document validates against schema.graphql');
  assert.deepEqual(s.streamViolations, [], 'no history line twice or missing');
  assert.deepEqual(s.signedUrlAuthViolations, [], 'no credentials sent to signed URLs');
}

export function onlineEnv(s: WandbTestServer, extra: Record<string, string> = {}): Record<string, string> {
  return { WANDB_API_KEY: s.apiKey, WANDB_BASE_URL: s.url, WANDB_SKILL_SYNC_TIMEOUT: '5', ...extra };
}

/** Every file under a folder, as text, to check a secret never lands on disk. */
export function allText(dir: string): string {
  let out = '';
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    out += statSync(p).isDirectory() ? allText(p) : readFileSync(p).toString('latin1');
  }
  return out;
}
