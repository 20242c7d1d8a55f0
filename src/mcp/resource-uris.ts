/** The stable URIs of the server's resources: `wandb://<project>/<kind>/<id>`, each part percent-encoded. */

export const RESOURCE_KINDS = ['runs', 'sweeps', 'artifacts', 'reports'] as const;
export type ResourceKind = (typeof RESOURCE_KINDS)[number];

export interface ResourceRef {
  project: string;
  kind: ResourceKind;
  /** A run id, sweep id, `name:vN` of an artifact version, or a report id. */
  id: string;
}

const SCHEME = 'wandb://';

/** The URI of a resource. */
export function resourceUri(ref: ResourceRef): string {
  return `${SCHEME}${encodeURIComponent(ref.project)}/${ref.kind}/${encodeURIComponent(ref.id)}`;
}

/** The resource a URI names; undefined when it is not one of ours. */
export function parseResourceUri(uri: string): ResourceRef | undefined {
  if (!uri.startsWith(SCHEME)) return undefined;
  const parts = uri.slice(SCHEME.length).split('/');
  if (parts.length !== 3) return undefined;
  const [project, kind, id] = parts as [string, string, string];
  if (!(RESOURCE_KINDS as readonly string[]).includes(kind) || project === '' || id === '') return undefined;
  try {
    return { project: decodeURIComponent(project), kind: kind as ResourceKind, id: decodeURIComponent(id) };
  } catch {
    return undefined; // a malformed %-escape
  }
}

/** URI templates (RFC 6570) clients fill in to read a resource they did not list. */
export const RESOURCE_TEMPLATES = [
  {
    uriTemplate: 'wandb://{project}/runs/{runId}',
    name: 'run',
    title: 'A run',
    description: "A run's config, summary (at most 200 keys), tags, notes, state and step",
    mimeType: 'application/json',
  },
  {
    uriTemplate: 'wandb://{project}/sweeps/{sweepId}',
    name: 'sweep',
    title: 'A sweep',
    description: "A sweep's config, method, state and runs",
    mimeType: 'application/json',
  },
  {
    uriTemplate: 'wandb://{project}/artifacts/{name}:v{version}',
    name: 'artifact',
    title: 'An artifact version',
    description: 'An artifact version: type, digest, size, aliases, metadata and its files',
    mimeType: 'application/json',
  },
  {
    uriTemplate: 'wandb://{project}/reports/{reportId}',
    name: 'report',
    title: 'A report',
    description: 'A report file as the report action wrote it (HTML, Markdown or JSON)',
  },
];
