/**
 * W&B's run-config encoding (PROTOCOL.md §2.2): every top-level key maps to `{"value": v}`, and a
 * `_wandb` entry holds SDK data. Its `t` (telemetry) must exist for the official SDK to treat the
 * run as started and resumable, so we always write one.
 */
import { parse as parseYaml, stringify as stringifyYaml } from 'yaml';

/** The config as W&B stores it. */
export type EncodedConfig = Record<string, { value: unknown; desc?: unknown }>;

export interface EncodeConfigOptions {
  /** Extra `_wandb` fields (e.g. `m` metric definitions); `t` defaults to `{}`. */
  wandb?: Record<string, unknown>;
}

export interface DecodedConfig {
  /** User config, unwrapped. */
  config: Record<string, unknown>;
  /** The `_wandb` value, when present. */
  wandb: Record<string, unknown> | undefined;
}

const WANDB_KEY = '_wandb';

/** Wraps a plain config: `{lr: 0.1}` → `{lr: {value: 0.1}, _wandb: {value: {t: {}}}}`. */
export function encodeConfig(config: Record<string, unknown>, options: EncodeConfigOptions = {}): EncodedConfig {
  const out: EncodedConfig = {};
  for (const [key, value] of Object.entries(config)) {
    if (key === WANDB_KEY || value === undefined) continue;
    out[key] = { value };
  }
  out[WANDB_KEY] = { value: { t: {}, ...options.wandb } };
  return out;
}

/** The `config` JSONString for `UpsertBucket`. */
export function encodeConfigJson(config: Record<string, unknown>, options: EncodeConfigOptions = {}): string {
  return JSON.stringify(encodeConfig(config, options));
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

/**
 * Unwraps a W&B config (an object or its JSON string), accepting both `{value}` and `{desc, value}`.
 * A top-level value that is not such a wrapper is kept as-is (W&B's own reader would reject it).
 */
export function decodeConfig(encoded: unknown): DecodedConfig {
  const source: unknown = typeof encoded === 'string' ? (encoded.trim() === '' ? {} : JSON.parse(encoded)) : encoded;
  const config: Record<string, unknown> = {};
  let wandb: Record<string, unknown> | undefined;
  if (!isRecord(source)) return { config, wandb };
  for (const [key, entry] of Object.entries(source)) {
    if (key === 'wandb_version') continue; // legacy config.yaml header
    const value = isRecord(entry) && 'value' in entry ? entry['value'] : entry;
    if (key === WANDB_KEY) {
      wandb = isRecord(value) ? value : undefined;
      continue;
    }
    config[key] = value;
  }
  return { config, wandb };
}

/** `config.yaml` text: the encoded structure in YAML (`key:\n  value: ...`). */
export function configToYaml(encoded: EncodedConfig): string {
  return stringifyYaml(encoded, { lineWidth: 0 });
}

/** Parses `config.yaml` text back into the plain config. */
export function configFromYaml(text: string): DecodedConfig {
  return decodeConfig(parseYaml(text) ?? {});
}
