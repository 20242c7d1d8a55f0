import type { RunScope } from '../store/index.js';
import { runUrl } from '../wandb/urls.js';

/** Which runs a URL's `/:entity/:project` names: entity `local` stands for runs without an entity. */
export type Scope = RunScope;

/** The dashboard path of a run, encoded as the skill's runUrl encodes it. */
export function runPath(entity: string | null, project: string, runId: string): string {
  return runUrl({ appUrl: '', entity: entity ?? 'local', project, runId });
}
