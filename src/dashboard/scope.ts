import { runUrl } from '../wandb/urls.js';

/** Which runs a URL's `/:entity/:project` names: entity `local` stands for runs without an entity. */
export interface Scope {
  entity: string;
  project: string;
}

/** SQL condition (over `runs`) and its parameters for a scope. */
export function scopeWhere(scope: Scope): { sql: string; params: unknown[] } {
  if (scope.entity === 'local') return { sql: "project = ? AND (entity IS NULL OR entity = 'local')", params: [scope.project] };
  return { sql: 'project = ? AND entity = ?', params: [scope.project, scope.entity] };
}

/** The dashboard path of a run, encoded as the skill's runUrl encodes it. */
export function runPath(entity: string | null, project: string, runId: string): string {
  return runUrl({ appUrl: '', entity: entity ?? 'local', project, runId });
}
