/**
 * Reading a project's runs (W&B's public API `api.runs(path, filters, order, per_page)`), one page
 * of the server's run connection per call.
 */
import * as doc from './documents.js';
import type { GraphqlClient } from './graphql.js';

export interface ProjectRunsVars {
  entity: string;
  project: string;
  first: number;
  after?: string | null;
  order?: string | null;
  /** W&B's MongoDB-style filters, as JSON text. */
  filters?: string | null;
}

/** A run as the server returns it (JSON strings as sent). */
export interface RemoteRun {
  id: string;
  name: string;
  displayName: string | null;
  state: string | null;
  config: string | null;
  summaryMetrics: string | null;
  tags: string[] | null;
  group: string | null;
  jobType: string | null;
  host: string | null;
  notes: string | null;
  sweepName: string | null;
  createdAt: string;
  heartbeatAt: string | null;
  historyLineCount: number | null;
  user: { username: string | null } | null;
}

export interface RunsPage {
  total: number;
  runs: RemoteRun[];
  endCursor: string | null;
  hasNextPage: boolean;
}

/** One page of a project's runs; `undefined` when the project does not exist on the server. */
export async function projectRuns(client: GraphqlClient, v: ProjectRunsVars): Promise<RunsPage | undefined> {
  type R = {
    project: null | {
      runs: null | { totalCount: number; edges: Array<{ node: RemoteRun | null }>; pageInfo: { hasNextPage: boolean; endCursor: string | null } };
    };
  };
  const data = await client.request<R>({
    query: doc.PROJECT_RUNS_QUERY,
    operationName: 'ProjectRuns',
    variables: { entity: v.entity, project: v.project, first: v.first, after: v.after ?? null, order: v.order ?? null, filters: v.filters ?? null },
  });
  const runs = data.project?.runs;
  if (data.project === null || runs === null || runs === undefined) return undefined;
  return {
    total: runs.totalCount,
    runs: runs.edges.flatMap((e) => (e.node === null ? [] : [e.node])),
    endCursor: runs.pageInfo.endCursor,
    hasNextPage: runs.pageInfo.hasNextPage,
  };
}
