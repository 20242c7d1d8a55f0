/**
 * The dashboard's two writes, both on custom panels: save (create or replace by name) and delete.
 * Both take JSON only from this origin: a JSON content type needs a CORS preflight from another
 * origin, so a foreign page cannot post here, and an Origin header naming another host is refused.
 */
import type { ServerResponse } from 'node:http';
import { HttpError, readBody, sendJson } from './http.js';
import { MAX_PANEL_BYTES, parsePanel, parsePanelName } from './panels-api.js';
import type { Req, RouteDeps } from './routes.js';
import type { Scope } from './scope.js';

function checkSameOriginJson(req: Req): void {
  const type = (req.raw.headers['content-type'] ?? '').split(';')[0]?.trim().toLowerCase();
  if (type !== 'application/json') throw new HttpError(415, 'UNSUPPORTED_MEDIA_TYPE', 'send the panel as application/json');
  const origin = req.raw.headers.origin;
  if (origin !== undefined && origin !== `http://${req.raw.headers.host ?? ''}`) throw new HttpError(403, 'FORBIDDEN', 'cross-origin request refused');
}

/** `POST panels`: saves a panel; one of the same name is replaced in its place. */
export async function savePanel(deps: RouteDeps, req: Req, res: ServerResponse, scope: Scope): Promise<void> {
  checkSameOriginJson(req);
  const panel = parsePanel(await readBody(req.raw, MAX_PANEL_BYTES), scope.project, deps.now());
  sendJson(res, 201, { panel: deps.panels.save(panel) });
}

/** `POST panels/delete` with `{name}`: deletes it; NOT_FOUND when the project has no such panel. */
export async function deletePanel(deps: RouteDeps, req: Req, res: ServerResponse, scope: Scope): Promise<void> {
  checkSameOriginJson(req);
  const name = parsePanelName(await readBody(req.raw, MAX_PANEL_BYTES));
  if (!deps.panels.remove(scope.project, name)) throw new HttpError(404, 'NOT_FOUND', `no panel named ${name} in ${scope.project}`);
  sendJson(res, 200, { deleted: name });
}
