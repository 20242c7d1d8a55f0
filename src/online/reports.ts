/**
 * The report in W&B (PROTOCOL.md §8): a `View` of type `runs` created with `upsertView` after
 * `upsertModel` makes sure the project exists. Its spec is rendered by src/report/wandb-spec.ts.
 */
import { createAccessToken, upsertModel, upsertView } from '../wandb/operations.js';
import { reportUrl } from '../wandb/urls.js';
import { connect as defaultConnect, type Connection } from './connection.js';
import type { OnlineScope } from './scope.js';
import { randomString } from '../random-id.js';

export interface OnlineReportDeps {
  connect: (scope: OnlineScope) => Promise<Connection>;
}

/** Creates the report on the server from its spec (reportSpec); returns its URL and view id. Throws what the client throws. */
export async function publishReport(
  scope: OnlineScope,
  report: { title: string; description?: string | undefined; spec: string; share?: boolean | undefined },
  deps: OnlineReportDeps = { connect: (c) => defaultConnect(c) },
): Promise<{ url: string; viewId: string; shareUrl?: string }> {
  const conn = await deps.connect(scope);
  const project = scope.settings.project;
  await upsertModel(conn.client, { name: project, entityName: conn.entity });
  const view = await upsertView(conn.client, {
    entityName: conn.entity,
    projectName: project,
    type: 'runs',
    name: randomString((m) => scope.random(m), 12),
    // W&B caps displayName at 128 characters.
    displayName: report.title.slice(0, 128),
    description: report.description ?? '',
    spec: report.spec,
  });
  const url = reportUrl({ appUrl: conn.appUrl, entity: conn.entity, project, title: report.title.slice(0, 128), viewId: view.id });
  if (report.share !== true) return { url, viewId: view.id };
  // A view-only link for people outside the team (PROTOCOL.md 8): the report URL plus its token.
  const token = await createAccessToken(conn.client, { viewId: view.id, entityName: conn.entity, projectName: project });
  return { url, viewId: view.id, shareUrl: `${url}?accessToken=${encodeURIComponent(token)}` };
}
