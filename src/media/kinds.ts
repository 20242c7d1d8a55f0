/**
 * The media kinds: one row per `_type` a caller may log as a file, saying how its input is checked
 * and parsed, which W&B descriptor it becomes, and how W&B writes a list of it. A new kind is a row
 * here (and its prepare function), plus its input shape in the contract.
 */
import { prepareAudio, prepareHtml, prepareImage, prepareTableFile, prepareVideo } from './prepare.js';
import type { MediaContext, MediaKind, PreparedFile, WrittenFile } from './types.js';

/** What a list's descriptor is built from (the items in order, their captions, their file descriptors). */
export interface ListPlan {
  items: readonly PreparedFile[];
  issue: string;
  warnings: string[];
  /** Every caption ('' where an item has none), or undefined when no item has one. */
  captions: string[] | undefined;
  descriptors(written: WrittenFile[]): unknown[];
}

export interface FileKind {
  /** W&B's descriptor `_type` of one file of this kind. */
  fileType: string;
  prepare(input: Record<string, unknown>, issue: string, ctx: MediaContext, warnings: string[]): Promise<PreparedFile> | PreparedFile;
  /** How W&B's `seq_to_json` writes a list of this kind; absent when a list of it is not media. */
  list?: {
    /** W&B's own limit on the items it keeps (more are cut, with a warning). */
    max?: number;
    /** Checks the list (warnings) and returns its descriptor builder. */
    plan(p: ListPlan): (written: WrittenFile[]) => unknown;
  };
}

/** W&B's own list size limit for `images/separated` (`Image.MAX_ITEMS`). */
export const IMAGE_LIST_MAX = 108;

/** `images/separated`: one size for all (W&B shows them at the first one's), file names, captions. */
function planImageList({ items, issue, warnings, captions }: ListPlan): (written: WrittenFile[]) => unknown {
  const first = items[0]?.fields ?? {};
  if (items.some((it) => it.fields['width'] !== first['width'] || it.fields['height'] !== first['height'])) {
    warnings.push(`${issue}: images differ in size; W&B shows them all at ${String(first['width'])}x${String(first['height'])}`);
  }
  return (written) => ({
    _type: 'images/separated',
    width: first['width'],
    height: first['height'],
    format: first['format'],
    count: written.length,
    filenames: written.map((w) => w.path),
    ...(captions !== undefined ? { captions } : {}),
  });
}

/** The kinds in the order the contract lists them (error messages name them in this order). */
export const MEDIA_KINDS: Readonly<Record<MediaKind, FileKind>> = {
  image: { fileType: 'image-file', prepare: prepareImage, list: { max: IMAGE_LIST_MAX, plan: planImageList } },
  audio: {
    fileType: 'audio-file',
    prepare: prepareAudio,
    list: {
      plan:
        ({ items, captions, descriptors }) =>
        (written) => ({
          _type: 'audio',
          count: written.length,
          audio: descriptors(written),
          sampleRates: items.map((it) => it.meta['sampleRate'] ?? null),
          durations: items.map((it) => it.meta['duration'] ?? null),
          ...(captions !== undefined ? { captions } : {}),
        }),
    },
  },
  video: {
    fileType: 'video-file',
    prepare: prepareVideo,
    // W&B writes `captions: false` for a list without captions.
    list: {
      plan:
        ({ captions, descriptors }) =>
        (written) => ({ _type: 'videos', count: written.length, videos: descriptors(written), captions: captions ?? false }),
    },
  },
  html: {
    fileType: 'html-file',
    prepare: prepareHtml,
    list: {
      plan:
        ({ descriptors }) =>
        (written) => ({ _type: 'html', count: written.length, html: descriptors(written) }),
    },
  },
  table: {
    fileType: 'table-file',
    prepare: (input, issue, _ctx, warnings) => {
      const t = prepareTableFile(input, issue, isMediaInput);
      if (t.warning !== undefined) warnings.push(t.warning);
      return t.file;
    },
  },
};

/** The `_type` values accepted as media inputs: the file kinds, and histograms (no file). */
export const MEDIA_INPUT_TYPES: readonly MediaInputType[] = [...(Object.keys(MEDIA_KINDS) as MediaKind[]), 'histogram'];
export type MediaInputType = MediaKind | 'histogram';
const INPUT_TYPES = new Set<string>(MEDIA_INPUT_TYPES);

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** W&B's list descriptors `audio` and `html` share a name with our inputs; they carry an array. */
export function isListDescriptor(v: Record<string, unknown>): boolean {
  return (v['_type'] === 'audio' && Array.isArray(v['audio'])) || (v['_type'] === 'html' && Array.isArray(v['html']));
}

/** True for an object whose `_type` names a media input kind (`image`, `audio`, ...). */
export function isMediaInput(value: unknown): value is Record<string, unknown> & { _type: MediaInputType } {
  return isPlainObject(value) && typeof value['_type'] === 'string' && INPUT_TYPES.has(value['_type']) && !isListDescriptor(value);
}

/** The descriptor of one written file: W&B's common fields, the caption, then the kind's own. */
export function fileDescriptor(prepared: PreparedFile, w: WrittenFile): Record<string, unknown> {
  const d: Record<string, unknown> = { _type: MEDIA_KINDS[prepared.kind].fileType, sha256: w.sha256, size: w.size, path: w.path };
  if (prepared.caption !== undefined) d['caption'] = prepared.caption;
  return Object.assign(d, prepared.fields);
}
