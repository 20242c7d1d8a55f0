/**
 * What every artifact operation shares: where the content store lives, which run a call acts for,
 * how `name:alias` / `name:vN` resolves to a stored version, and the output's `artifact` object.
 */
import { isAbsolute, resolve } from 'node:path';
import { SkillError, invalidInput } from '../../errors.js';
import { type ArtifactRef, LATEST_ALIAS, assertAlias, contentStoreOf, isVersionAlias, parseArtifactRef, type ContentStore } from '../../artifacts/index.js';
import { namedRunId, requireNamedRun } from '../../runs/lifecycle.js';
import type { ArtifactsTable, LinkRecord, VersionRecord } from '../../store/artifacts.js';
import type { RunRecord, Store } from '../../store/index.js';
import { appUrlFromBaseUrl, artifactUrl as wandbArtifactUrl } from '../../wandb/urls.js';
import type { ActionContext, ActionResult } from '../context.js';

/** The content store of a W&B dir: beside the SQLite store, under `<dir>/wandb/artifacts`. */
export function contentStoreFor(ctx: ActionContext): ContentStore {
  return contentStoreOf(ctx.settings.dir, ctx.liveness());
}

export function artifactsOf(store: Store): ArtifactsTable {
  return store.artifacts;
}

/** The artifactConfig of the input (an empty object when absent). */
export function configOf(ctx: ActionContext): NonNullable<ActionContext['input']['artifactConfig']> {
  return ctx.input.artifactConfig ?? {};
}

/** Resolves a caller's path against the caller's working directory. */
export function resolveUserPath(ctx: ActionContext, path: string): string {
  return isAbsolute(path) ? resolve(path) : resolve(ctx.settings.cwd, path);
}

/**
 * The run a call acts for, as log() finds it (runId, runConfig.id, WANDB_RUN_ID, else the running
 * run named runConfig.name / WANDB_NAME), but never created: artifacts may live without a run. A
 * run named by id that the store does not hold is NOT_FOUND (the lineage must not be dropped).
 */
export function findActingRun(ctx: ActionContext, store: Store): RunRecord | undefined {
  const rc = ctx.input.runConfig ?? {};
  const named = namedRunId(ctx);
  if (named !== undefined) return requireNamedRun(ctx, store, named);
  const name = rc.name ?? ctx.settings.runDefaults.name;
  return name === undefined ? undefined : store.runs.findRunningByName(ctx.settings.project, name);
}

/** A run by its store key (the usage edges hold keys). */
export function runByKey(store: Store, key: number | null): RunRecord | undefined {
  if (key === null) return undefined;
  return store.runs.getByKey(key);
}

/** The app's base URL online (WANDB_APP_URL, else derived from the API URL as W&B does). */
export function appUrlOf(ctx: ActionContext): string {
  return appUrlFromBaseUrl(ctx.settings.baseUrl, ctx.settings.appUrl);
}

/** A parsed `artifactConfig.name` plus `artifactConfig.version` (they must not disagree). */
export function versionRefOf(ctx: ActionContext): ArtifactRef {
  const cfg = configOf(ctx);
  if (cfg.name === undefined) throw invalidInput('artifactConfig.name', 'required: the artifact to act on (name, name:alias or name:vN)');
  let ref: ArtifactRef;
  try {
    ref = parseArtifactRef(cfg.name, 'artifactConfig.name');
  } catch (err) {
    // A registry collection may be named beyond an artifact's characters (`link` allows "Best Net").
    const linked = err instanceof SkillError && err.code === 'INVALID_INPUT' ? registryRefOf(ctx, cfg.name) : undefined;
    if (linked === undefined) throw err;
    ref = linked;
  }
  if (cfg.version !== undefined) {
    assertAlias(cfg.version, 'artifactConfig.version');
    const fromVersion = isVersionAlias(cfg.version) ? { version: Number(cfg.version.slice(1)) } : { alias: cfg.version };
    if ((ref.version !== undefined || ref.alias !== undefined) && (ref.version !== fromVersion.version || ref.alias !== fromVersion.alias)) {
      throw invalidInput('artifactConfig.version', `disagrees with the version in artifactConfig.name ("${cfg.name}")`);
    }
    return { ...ref, ...fromVersion };
  }
  return ref;
}

/**
 * `[[entity/]project/]collection[:alias|:vN]` naming a registry collection this store holds links
 * in, whose name an artifact could not have (a space, say); undefined otherwise.
 */
function registryRefOf(ctx: ActionContext, text: string): ArtifactRef | undefined {
  const colon = text.indexOf(':');
  const parts = (colon >= 0 ? text.slice(0, colon) : text).split('/');
  const suffix = colon >= 0 ? text.slice(colon + 1) : undefined;
  const name = parts[parts.length - 1] ?? '';
  const project = parts.length >= 2 ? (parts[parts.length - 2] ?? '') : ctx.settings.project;
  if (parts.length > 3 || name.trim().length === 0 || name.length > 128 || /[\\\0]/.test(name) || project.length === 0) return undefined;
  if (suffix !== undefined && (suffix.length === 0 || suffix.length > 128 || suffix.includes('/'))) return undefined;
  if (artifactsOf(ctx.store()).linkByIndex(project, name, 0) === undefined) return undefined;
  const ref: ArtifactRef = { name, project };
  if (parts.length === 3 && parts[0] !== undefined) ref.entity = parts[0];
  if (suffix !== undefined) {
    if (isVersionAlias(suffix)) ref.version = Number(suffix.slice(1));
    else ref.alias = suffix;
  }
  return ref;
}

/** A resolved reference: the version, and the registry link it was read through (if it was). */
export interface ResolvedRef {
  version: VersionRecord;
  link?: LinkRecord;
}

/**
 * The stored version a reference names (default `latest`), as W&B resolves `project/name:alias`:
 * an artifact collection of the project, else a registry collection (a portfolio, such as
 * `model-registry/<collection>:production`) whose own versions and aliases name linked versions.
 * NOT_FOUND naming the field otherwise.
 */
export function resolveRef(ctx: ActionContext, table: ArtifactsTable, ref: ArtifactRef, field = 'artifactConfig.name'): ResolvedRef {
  const project = ref.project ?? ctx.settings.project;
  const label = `${ref.name}:${ref.version !== undefined ? `v${ref.version}` : (ref.alias ?? LATEST_ALIAS)}`;
  const collection = table.collection(project, ref.name);
  const version =
    collection === undefined
      ? undefined
      : ref.version !== undefined
        ? table.versionByIndex(collection.key, ref.version)
        : table.versionByAlias(collection.key, ref.alias ?? LATEST_ALIAS);
  if (version !== undefined) return { version };
  const portfolio = table.linkByIndex(project, ref.name, 0) !== undefined;
  const link = !portfolio
    ? undefined
    : ref.version !== undefined
      ? table.linkByIndex(project, ref.name, ref.version)
      : table.linkByAlias(project, ref.name, ref.alias ?? LATEST_ALIAS);
  const linked = link === undefined ? undefined : table.version(link.versionKey);
  if (link !== undefined && linked !== undefined) return { version: linked, link };
  throw new SkillError('NOT_FOUND', `artifact ${label} does not exist in project ${project}`, {
    details: {
      issues: [{ path: field, message: collection === undefined && !portfolio ? 'no such artifact or registry collection' : 'no such version or alias' }],
    },
  });
}

/** The stored version a reference names (see resolveRef). */
export function resolveVersion(ctx: ActionContext, table: ArtifactsTable, ref: ArtifactRef, field = 'artifactConfig.name'): VersionRecord {
  return resolveRef(ctx, table, ref, field).version;
}

/** The output's `registry` object for a version read through a registry link. */
export function registryOf(table: ArtifactsTable, link: LinkRecord): { project: string; collection: string; version: string; aliases: string[] } {
  return { project: link.registryProject, collection: link.portfolio, version: `v${link.linkIndex}`, aliases: table.linkAliases(link.key) };
}

/** The stable id of a version: W&B's id once it is on the server, else the local store's. */
export function artifactIdOf(v: VersionRecord): string {
  return v.serverId ?? `local-artifact-${v.key}`;
}

/** W&B's URL online, the local dashboard's address offline (same path layout). */
export function artifactUrlOf(ctx: ActionContext, v: { project: string; type: string; name: string; versionIndex: number }, entity?: string): string {
  const { settings } = ctx;
  if (settings.mode === 'online' && entity !== undefined) {
    return wandbArtifactUrl({ appUrl: appUrlOf(ctx), entity, project: v.project, type: v.type, name: v.name, version: v.versionIndex });
  }
  return wandbArtifactUrl({
    appUrl: settings.dashboardUrl,
    entity: settings.entity ?? 'local',
    project: v.project,
    type: v.type,
    name: v.name,
    version: v.versionIndex,
  });
}

export interface ArtifactOutput {
  name: string;
  type: string;
  version: string;
  digest: string;
  aliases: string[];
  size: number;
  fileCount: number;
  path?: string;
  [extra: string]: unknown;
}

/** The output's `artifact` object for a version. */
export function describeVersion(table: ArtifactsTable, v: VersionRecord, extra: Record<string, unknown> = {}): ArtifactOutput {
  return {
    name: v.name,
    type: v.type,
    version: `v${v.versionIndex}`,
    digest: v.digest,
    aliases: table.aliasesOf(v.key),
    size: v.size,
    fileCount: v.fileCount,
    ...extra,
  };
}

/** The common output fields of an operation on one version. */
export function versionResult(ctx: ActionContext, table: ArtifactsTable, v: VersionRecord, extra: Record<string, unknown> = {}, entity?: string): ActionResult {
  return { artifactId: artifactIdOf(v), artifactUrl: artifactUrlOf(ctx, v, entity), artifact: describeVersion(table, v, extra), project: v.project };
}
