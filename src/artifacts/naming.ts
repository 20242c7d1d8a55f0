/**
 * W&B's naming rules for artifacts and the `[entity/][project/]name[:alias]` reference form.
 *
 * Rules (W&B SDK `wandb/sdk/artifacts/_validators.py` and W&B docs):
 * - name: 1..128 characters. W&B's SDK only refuses `/`; its docs allow letters, digits, `_`, `-`
 *   and `.`. We apply the documented set, which also keeps `:` (the alias separator) out.
 * - type: 1..128 characters, no `/` or `:`; the prefix `wandb-` is reserved, and some types reserve
 *   name prefixes (`job`: every name, `run_table`: `run-`, `code`: `source-`).
 * - alias: 1..128 characters, no `/` or `:`; unique per collection ignoring case. `latest` is managed
 *   (always added to a new version) and `v<N>` is the server's version index, which a client
 *   cannot set (the server ignores it), so `normalizeAliases` drops it with a warning.
 * - tag: `^[-\w]+( +[-\w]+)*$`.
 */
import { invalidInput } from '../errors.js';

export const ARTIFACT_NAME_MAX = 128;
export const ARTIFACT_TYPE_MAX = 128;
export const ALIAS_MAX = 128;
export const LATEST_ALIAS = 'latest';

const NAME_CHARS = /^[A-Za-z0-9._-]+$/;
const VERSION_ALIAS = /^v(0|[1-9][0-9]*)$/;
const TAG = /^[-\w]+( +[-\w]+)*$/u;
const RESERVED_TYPE_PREFIX = 'wandb-';
const RESERVED_NAME_PREFIX_BY_TYPE: Readonly<Record<string, string>> = { job: '', run_table: 'run-', code: 'source-' };

/** Throws INVALID_INPUT (at `path`) unless `name` is a valid artifact name. */
export function assertArtifactName(name: unknown, path = 'artifactConfig.name'): asserts name is string {
  if (typeof name !== 'string' || name.length === 0) throw invalidInput(path, 'artifact name must be a non-empty string');
  if (name.length > ARTIFACT_NAME_MAX) throw invalidInput(path, `artifact name is longer than ${ARTIFACT_NAME_MAX} characters`);
  if (!NAME_CHARS.test(name)) throw invalidInput(path, 'artifact name may only hold letters, digits, "_", "-" and "."');
  if (name === '.' || name === '..') throw invalidInput(path, 'artifact name must not be "." or ".."');
}

/** Throws INVALID_INPUT unless `type` is a valid, non-reserved artifact type (for `name`, if given). */
export function assertArtifactType(type: unknown, name?: string, path = 'artifactConfig.type'): asserts type is string {
  if (typeof type !== 'string' || type.length === 0) throw invalidInput(path, 'artifact type must be a non-empty string');
  if (type.length > ARTIFACT_TYPE_MAX) throw invalidInput(path, `artifact type is longer than ${ARTIFACT_TYPE_MAX} characters`);
  if (/[/:]/.test(type)) throw invalidInput(path, 'artifact type must not contain "/" or ":"');
  if (type.startsWith(RESERVED_TYPE_PREFIX)) throw invalidInput(path, `artifact types starting "${RESERVED_TYPE_PREFIX}" are reserved by W&B`);
  const prefix = RESERVED_NAME_PREFIX_BY_TYPE[type];
  if (prefix !== undefined && name !== undefined && name.startsWith(prefix)) {
    throw invalidInput(path, `type "${type}" is reserved by W&B for ${prefix === '' ? 'all names' : `names starting "${prefix}"`}`);
  }
}

/** True for the server-assigned version aliases `v0`, `v1`, ... */
export function isVersionAlias(alias: string): boolean {
  return VERSION_ALIAS.test(alias);
}

/** Throws INVALID_INPUT unless `alias` is a syntactically valid alias. */
export function assertAlias(alias: unknown, path = 'artifactConfig.aliases'): asserts alias is string {
  if (typeof alias !== 'string' || alias.length === 0) throw invalidInput(path, 'an alias must be a non-empty string');
  if (alias.length > ALIAS_MAX) throw invalidInput(path, `an alias is longer than ${ALIAS_MAX} characters`);
  if (/[/:]/.test(alias)) throw invalidInput(path, 'an alias must not contain "/" or ":"');
}

export interface NormalizedAliases {
  /** Deduplicated ignoring case (first spelling wins), `latest` included, version aliases removed. */
  aliases: string[];
  warnings: string[];
}

/** The aliases a new version gets, as W&B's SDK computes them (`latest` always added). */
export function normalizeAliases(aliases: readonly unknown[] = [], path = 'artifactConfig.aliases'): NormalizedAliases {
  const out: string[] = [];
  const seen = new Set<string>();
  const warnings: string[] = [];
  aliases.forEach((alias, i) => {
    assertAlias(alias, `${path}[${i}]`);
    if (isVersionAlias(alias)) {
      warnings.push(`${path}[${i}]: "${alias}" is a version index the server assigns; ignored`);
      return;
    }
    const folded = alias.toLowerCase();
    if (!seen.has(folded)) {
      seen.add(folded);
      out.push(alias);
    }
  });
  if (!seen.has(LATEST_ALIAS)) out.push(LATEST_ALIAS);
  return { aliases: out, warnings };
}

/** Throws INVALID_INPUT unless every tag matches W&B's tag pattern; returns them deduplicated. */
export function normalizeTags(tags: readonly unknown[] = [], path = 'artifactConfig.tags'): string[] {
  tags.forEach((tag, i) => {
    if (typeof tag !== 'string' || !TAG.test(tag)) {
      throw invalidInput(`${path}[${i}]`, 'tags hold letters, digits, "_" and "-", words separated by spaces');
    }
  });
  return [...new Set(tags as string[])];
}

/** A parsed artifact reference. `version` is set for `name:vN`, `alias` for any other suffix. */
export interface ArtifactRef {
  entity?: string;
  project?: string;
  name: string;
  alias?: string;
  version?: number;
}

/**
 * Parses `name`, `name:alias`, `name:vN`, `project/name:alias` and `entity/project/name:alias`.
 * A reference without a suffix means `latest`, as in W&B; that is left to the caller (no alias set).
 * @example parseArtifactRef('team/proj/data:v3') // { entity: 'team', project: 'proj', name: 'data', version: 3 }
 */
export function parseArtifactRef(ref: unknown, path = 'artifactConfig.name'): ArtifactRef {
  if (typeof ref !== 'string' || ref.length === 0) throw invalidInput(path, 'artifact reference must be a non-empty string');
  const colon = ref.indexOf(':');
  const collectionPath = colon >= 0 ? ref.slice(0, colon) : ref;
  const suffix = colon >= 0 ? ref.slice(colon + 1) : undefined;
  const parts = collectionPath.split('/');
  if (parts.length > 3) throw invalidInput(path, 'artifact reference has more than entity/project/name');
  const name = parts[parts.length - 1] ?? '';
  assertArtifactName(name, path);
  const out: ArtifactRef = { name };
  if (parts.length === 3) out.entity = parts[0] ?? '';
  if (parts.length >= 2) out.project = parts[parts.length - 2] ?? '';
  for (const [label, value] of [
    ['entity', out.entity],
    ['project', out.project],
  ] as const) {
    if (value !== undefined && (value.length === 0 || /[\\#?%:\s]/.test(value))) {
      throw invalidInput(path, `artifact reference has an invalid ${label} "${value}"`);
    }
  }
  if (suffix !== undefined) {
    assertAlias(suffix, path);
    if (isVersionAlias(suffix)) out.version = Number(suffix.slice(1));
    else out.alias = suffix;
  }
  return out;
}

/** Formats a reference back to its string form. */
export function formatArtifactRef(ref: ArtifactRef): string {
  const head = [ref.entity, ref.project, ref.name].filter((p): p is string => p !== undefined).join('/');
  if (ref.version !== undefined) return `${head}:v${ref.version}`;
  return ref.alias !== undefined ? `${head}:${ref.alias}` : head;
}
