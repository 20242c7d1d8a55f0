/**
 * App (UI) URLs of W&B objects (PROTOCOL.md §§1.1, 1.8). Every identifier goes through one encoder.
 */

/** Characters encodeURIComponent leaves as they are: a segment of only these is its own encoding. */
const UNRESERVED = /^[A-Za-z0-9\-_.!~*'()]*$/;

/** Encodes one URL path segment; keeps `=+&$@`, which W&B leaves unquoted in run IDs. */
export function encodePathSegment(segment: string): string {
  // Most ids and names (every generated run id) need no encoding: one test, no new strings.
  if (UNRESERVED.test(segment)) return segment;
  return encodeURIComponent(segment).replace(/%(3D|2B|26|24|40)/gi, (m) => decodeURIComponent(m));
}

function withoutUserinfo(url: string): string {
  return url.replace(/^([a-z][a-z0-9+.-]*:\/\/)[^/?#]*@/i, '$1');
}

/**
 * The UI URL for an API base URL, as W&B derives it: `://api.wandb.` → `://`, other `://api.` →
 * `://app.`, anything else unchanged; an explicit override (`WANDB_APP_URL`) wins.
 * @example appUrlFromBaseUrl('https://api.wandb.ai') // 'https://wandb.ai'
 */
export function appUrlFromBaseUrl(baseUrl: string, appUrlOverride?: string): string {
  if (appUrlOverride !== undefined && appUrlOverride.trim() !== '') return withoutUserinfo(appUrlOverride.trim().replace(/\/+$/, ''));
  // A page address is shown and stored: it never carries the base URL's credentials.
  const base = withoutUserinfo(baseUrl.trim().replace(/\/+$/, ''));
  if (base.includes('://api.wandb.')) return base.replace('://api.wandb.', '://wandb.');
  if (base.includes('://api.')) return base.replace('://api.', '://app.');
  return base;
}

export interface ProjectRef {
  appUrl: string;
  entity: string;
  project: string;
}

function root(ref: ProjectRef): string {
  const app = ref.appUrl.endsWith('/') ? ref.appUrl.replace(/\/+$/, '') : ref.appUrl;
  return `${app}/${encodePathSegment(ref.entity)}/${encodePathSegment(ref.project)}`;
}

/** `{app}/{entity}/{project}` */
export function projectUrl(ref: ProjectRef): string {
  return root(ref);
}

/** `{app}/{entity}/{project}/runs/{runId}` */
export function runUrl(ref: ProjectRef & { runId: string }): string {
  return `${root(ref)}/runs/${encodePathSegment(ref.runId)}`;
}

/** `{app}/{entity}/{project}/sweeps/{sweepId}` */
export function sweepUrl(ref: ProjectRef & { sweepId: string }): string {
  return `${root(ref)}/sweeps/${encodePathSegment(ref.sweepId)}`;
}

/** `{app}/{entity}/{project}/artifacts/{type}/{name}/{version}`; `version` is `v<N>` or an alias. */
export function artifactUrl(ref: ProjectRef & { type: string; name: string; version: string | number }): string {
  const version = typeof ref.version === 'number' ? `v${ref.version}` : ref.version;
  return `${root(ref)}/artifacts/${encodePathSegment(ref.type)}/${encodePathSegment(ref.name)}/${encodePathSegment(version)}`;
}

/** `{app}/{entity}/{project}/reports/{title with spaces → "-"}--{viewId}` */
export function reportUrl(ref: ProjectRef & { title: string; viewId: string }): string {
  const slug = ref.title.trim().replace(/\s+/g, '-');
  return `${root(ref)}/reports/${encodePathSegment(`${slug}--${ref.viewId}`)}`;
}
