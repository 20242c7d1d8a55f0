/** Shared types of the media encoder: the context a caller gives, and what comes back. */

/** Where media files go and how input paths are resolved. */
export interface MediaContext {
  /** The run's files directory; media land under `<filesDir>/media/<subdir>/`. */
  filesDir: string;
  /** The history step the row belongs to, or `"summary"` for summary values (W&B's namespace). */
  step: number | 'summary';
  /** Directory that relative input paths are resolved against (default: the process's cwd). */
  baseDir?: string;
  /** When given, an input path must resolve (after symlinks) inside one of these directories. */
  allowedRoots?: readonly string[];
  /** Largest accepted media input in bytes (path or decoded data); larger ones fail PAYLOAD_TOO_LARGE. */
  maxFileBytes?: number;
  /** Prefix of `details.issues[].path` (default `logData.metrics`). */
  issuePath?: string;
}

export type MediaKind = 'image' | 'audio' | 'video' | 'html' | 'table';

/** A file the encoder wrote; `path` is run-relative with `/` separators, as in the descriptor. */
export interface MediaFile {
  kind: MediaKind;
  /** The metric key (leaf) the file was logged under. */
  key: string;
  path: string;
  absPath: string;
  sha256: string;
  size: number;
  /** Facts parsed from the file that W&B's descriptor does not carry (e.g. audio duration). */
  meta: Record<string, unknown>;
}

/**
 * A custom chart as W&B records it in the run config under `_wandb.visualize.<key>`, plus `spec`:
 * our Vega-Lite drawing of it, reading the named data source `table` (see `chartSpecWithTable`).
 */
export interface VisualizeEntry {
  panel_type: 'Vega2';
  panel_config: {
    panelDefId: string;
    fieldSettings: Record<string, string | null>;
    stringSettings: Record<string, string | null>;
    transform: { name: 'tableWithLeafColNames' };
    userQuery: { queryFields: unknown[] };
  };
  spec: Record<string, unknown>;
}

export interface EncodeResult {
  /** The metrics with media inputs replaced by W&B descriptors; the input object is not changed. */
  row: Record<string, unknown>;
  files: MediaFile[];
  /** Charts logged, by metric key: what belongs in the run config under `_wandb.visualize`. */
  visualize: Record<string, VisualizeEntry>;
  /** Human-readable notes, e.g. a table cut to 10,000 rows. */
  warnings: string[];
}

/** Where a media file's bytes come from. */
export type MediaSource = { kind: 'path'; absPath: string; size: number } | { kind: 'bytes'; bytes: Buffer };

/** A media file validated and parsed, not yet written. */
export interface PreparedFile {
  kind: MediaKind;
  subdir: string;
  /** Extension without the leading dot, e.g. `png` or `table.json`. */
  ext: string;
  source: MediaSource;
  /** Descriptor fields after the common ones, in W&B's order. */
  fields: Record<string, unknown>;
  meta: Record<string, unknown>;
  caption?: string;
}

/** What writing a prepared file produced. */
export interface WrittenFile {
  path: string;
  absPath: string;
  sha256: string;
  size: number;
}
