/**
 * `encodeMetrics`: walks a metrics object and replaces media inputs with W&B descriptors, writing
 * their files under the run files directory. Everything is validated before the first file is
 * written, so a bad input leaves no files behind.
 */
import { SkillError } from '../errors.js';
import { chartTableKey, isChartInput, planChart, visualizeEntry } from './chart.js';
import { encodeHistogram } from './histogram.js';
import { mediaInvalid } from './issues.js';
import { keySegments } from './media-path.js';
import { prepareAudio, prepareHtml, prepareImage, prepareTableFile, prepareVideo } from './prepare.js';
import type { EncodeResult, MediaContext, MediaFile, PreparedFile, VisualizeEntry, WrittenFile } from './types.js';
import { type WriteTarget, writePrepared } from './write-file.js';

/** The `_type` values accepted as media inputs. */
export const MEDIA_INPUT_TYPES = ['image', 'audio', 'video', 'html', 'table', 'histogram'] as const;
export type MediaInputType = (typeof MEDIA_INPUT_TYPES)[number];

/** W&B's own list size limit for `images/separated` (`Image.MAX_ITEMS`). */
export const IMAGE_LIST_MAX = 108;

// Descriptors W&B itself writes; met again (e.g. a row re-logged), they pass through unchanged.
const DESCRIPTOR_TYPES = new Set([
  'image-file', 'audio-file', 'video-file', 'html-file', 'table-file', 'incremental-table-file',
  'images/separated', 'videos', 'object3D-file', 'object3D', 'plotly-file', 'joined-table', 'partitioned-table',
]);
const INPUT_TYPES = new Set<string>(MEDIA_INPUT_TYPES);
const FILE_TYPE: Record<string, string> = {
  image: 'image-file', audio: 'audio-file', video: 'video-file', html: 'html-file', table: 'table-file',
};

/** Own-property assignment: a metric named `__proto__` (legal in JSON) must not change the prototype. */
function setOwn(target: Record<string, unknown>, key: string, value: unknown): void {
  Object.defineProperty(target, key, { value, writable: true, enumerable: true, configurable: true });
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** W&B's list descriptors `audio` and `html` share a name with our inputs; they carry an array. */
function isListDescriptor(v: Record<string, unknown>): boolean {
  return (v['_type'] === 'audio' && Array.isArray(v['audio'])) || (v['_type'] === 'html' && Array.isArray(v['html']));
}

/** True for an object whose `_type` names a media input kind (`image`, `audio`, ...). */
export function isMediaInput(value: unknown): value is Record<string, unknown> & { _type: MediaInputType } {
  return isPlainObject(value) && typeof value['_type'] === 'string' && INPUT_TYPES.has(value['_type']) && !isListDescriptor(value);
}

interface Plan {
  key: string;
  files: { prepared: PreparedFile; target: WriteTarget }[];
  build(written: WrittenFile[]): unknown;
}
interface Slot { container: Record<string, unknown>; field: string; plan: Plan }
/** What a walk over the metrics gathers besides the row. */
interface Gathered { slots: Slot[]; warnings: string[]; visualize: Record<string, VisualizeEntry> }

function fileDescriptor(prepared: PreparedFile, w: WrittenFile): Record<string, unknown> {
  const d: Record<string, unknown> = { _type: FILE_TYPE[prepared.kind], sha256: w.sha256, size: w.size, path: w.path };
  if (prepared.caption !== undefined) d['caption'] = prepared.caption;
  return Object.assign(d, prepared.fields);
}

async function planOne(input: Record<string, unknown>, key: string, issue: string, ctx: MediaContext, warnings: string[]): Promise<Plan> {
  const kind = input['_type'] as MediaInputType;
  if (kind === 'histogram') {
    const h = encodeHistogram(input, issue);
    return { key, files: [], build: () => h };
  }
  const target = { segments: keySegments(key, issue), issue };
  let prepared: PreparedFile;
  if (kind === 'image') prepared = await prepareImage(input, issue, ctx);
  else if (kind === 'audio') prepared = await prepareAudio(input, issue, ctx);
  else if (kind === 'video') prepared = prepareVideo(input, issue, ctx);
  else if (kind === 'html') prepared = prepareHtml(input, issue, ctx);
  else {
    const t = prepareTableFile(input, issue, isMediaInput);
    if (t.warning !== undefined) warnings.push(t.warning);
    prepared = t.file;
  }
  return { key, files: [{ prepared, target }], build: ([w]) => fileDescriptor(prepared, w as WrittenFile) };
}

/** The kinds a list may hold (one kind per list), as W&B's `seq_to_json` takes them. */
const LIST_KINDS = new Set<string>(['image', 'audio', 'video', 'html']);

/** The kind shared by every item of a media list, or undefined if `v` is not such a list. */
function listKind(v: unknown): 'image' | 'audio' | 'video' | 'html' | undefined {
  if (!Array.isArray(v) || v.length === 0 || !isMediaInput(v[0])) return undefined;
  const kind = v[0]._type;
  if (!LIST_KINDS.has(kind) || !v.every((x) => isMediaInput(x) && x._type === kind)) return undefined;
  return kind as 'image' | 'audio' | 'video' | 'html';
}

async function prepareItem(kind: 'image' | 'audio' | 'video' | 'html', input: Record<string, unknown>, issue: string, ctx: MediaContext): Promise<PreparedFile> {
  if (kind === 'image') return prepareImage(input, issue, ctx);
  if (kind === 'audio') return prepareAudio(input, issue, ctx);
  if (kind === 'video') return prepareVideo(input, issue, ctx);
  return prepareHtml(input, issue, ctx);
}

/**
 * A list of one media kind, written as W&B's list descriptor: `images/separated` (cut to 108
 * images), `audio` (with sample rates and durations), `videos` or `html`, each file named as a
 * single value's would be.
 */
async function planList(kind: 'image' | 'audio' | 'video' | 'html', list: unknown[], key: string, issue: string, ctx: MediaContext, warnings: string[]): Promise<Plan> {
  const segments = keySegments(key, issue);
  const max = kind === 'image' ? IMAGE_LIST_MAX : list.length;
  if (list.length > max) warnings.push(`${issue}: image list cut to the first ${IMAGE_LIST_MAX} of ${list.length}, as W&B does`);
  // One item at a time: a list of 108 files never holds 108 descriptors and headers at once.
  const items: { prepared: PreparedFile; target: WriteTarget }[] = [];
  for (const [i, item] of list.slice(0, max).entries()) {
    const at = `${issue}[${i}]`;
    items.push({ prepared: await prepareItem(kind, item as Record<string, unknown>, at, ctx), target: { segments, issue: at } });
  }
  const captions = items.some((it) => it.prepared.caption !== undefined) ? items.map((it) => it.prepared.caption ?? '') : undefined;
  if (kind === 'image') {
    const first = items[0]?.prepared.fields ?? {};
    if (items.some((it) => it.prepared.fields['width'] !== first['width'] || it.prepared.fields['height'] !== first['height'])) {
      warnings.push(`${issue}: images differ in size; W&B shows them all at ${String(first['width'])}x${String(first['height'])}`);
    }
    return {
      key,
      files: items,
      build: (written) => ({
        _type: 'images/separated', width: first['width'], height: first['height'], format: first['format'],
        count: written.length, filenames: written.map((w) => w.path), ...(captions !== undefined ? { captions } : {}),
      }),
    };
  }
  const descriptors = (written: WrittenFile[]): unknown[] => items.map((it, i) => fileDescriptor(it.prepared, written[i] as WrittenFile));
  if (kind === 'audio') {
    return {
      key,
      files: items,
      build: (written) => ({
        _type: 'audio', count: written.length, audio: descriptors(written),
        sampleRates: items.map((it) => it.prepared.meta['sampleRate'] ?? null),
        durations: items.map((it) => it.prepared.meta['duration'] ?? null),
        ...(captions !== undefined ? { captions } : {}),
      }),
    };
  }
  if (kind === 'video') {
    // W&B writes `captions: false` for a list without captions.
    return { key, files: items, build: (written) => ({ _type: 'videos', count: written.length, videos: descriptors(written), captions: captions ?? false }) };
  }
  return { key, files: items, build: (written) => ({ _type: 'html', count: written.length, html: descriptors(written) }) };
}

/**
 * A chart at the top level of the metrics: its table goes under `<key>_table` (the slot returned),
 * its panel into `visualize`; the chart's own key stays out of the row, as in W&B.
 */
async function planChartTable(src: Record<string, unknown>, input: Record<string, unknown>, key: string, issue: string, ctx: MediaContext, acc: Gathered): Promise<Plan> {
  const tableKey = chartTableKey(key);
  if (Object.hasOwn(src, tableKey)) {
    throw mediaInvalid(issue, `the chart's table is logged as "${tableKey}", which these metrics also set`);
  }
  const chart = planChart(input, key, issue);
  acc.warnings.push(...chart.warnings);
  // A chart's table is cut as W&B cuts it (the curve presets already keep it under the limit).
  const plan = await planOne({ _type: 'table', columns: chart.table.columns, data: chart.table.data, truncate: true }, tableKey, issue, ctx, acc.warnings);
  setOwn(acc.visualize, key, visualizeEntry(key, chart));
  return plan;
}

async function walk(src: Record<string, unknown>, out: Record<string, unknown>, issuePrefix: string, ctx: MediaContext, acc: Gathered, top: boolean): Promise<void> {
  const { slots, warnings } = acc;
  for (const [k, v] of Object.entries(src)) {
    const issue = `${issuePrefix}.${k}`;
    const kindOfList = listKind(v);
    if (isChartInput(v)) {
      // W&B keys charts by their top-level metric name (the config's _wandb.visualize.<key>).
      if (!top) throw mediaInvalid(issue, 'a chart must be a top-level metric (its key names the chart in the run config)');
      const field = chartTableKey(k);
      setOwn(out, field, null);
      slots.push({ container: out, field, plan: await planChartTable(src, v, k, issue, ctx, acc) });
    } else if (isMediaInput(v)) {
      setOwn(out, k, null);
      slots.push({ container: out, field: k, plan: await planOne(v, k, issue, ctx, warnings) });
    } else if (kindOfList !== undefined) {
      setOwn(out, k, null);
      slots.push({ container: out, field: k, plan: await planList(kindOfList, v as unknown[], k, issue, ctx, warnings) });
    } else if (Array.isArray(v) && v.some((x) => isMediaInput(x) || isChartInput(x))) {
      throw mediaInvalid(issue, 'a list of media holds images, audio, videos or html, all of one kind');
    } else if (isPlainObject(v) && v['_type'] !== undefined) {
      const t = v['_type'];
      if (typeof t === 'string' && (DESCRIPTOR_TYPES.has(t) || isListDescriptor(v))) setOwn(out, k, v);
      else throw mediaInvalid(`${issue}._type`, `unknown media type ${JSON.stringify(t)}; use one of ${MEDIA_INPUT_TYPES.join(', ')} or chart`);
    } else if (isPlainObject(v)) {
      const nested: Record<string, unknown> = {};
      setOwn(out, k, nested);
      await walk(v, nested, issue, ctx, acc, false);
    } else {
      setOwn(out, k, v);
    }
  }
}

async function plan(metrics: Record<string, unknown>, ctx: MediaContext): Promise<Gathered & { row: Record<string, unknown> }> {
  const step = ctx.step;
  if (step !== 'summary' && !(Number.isSafeInteger(step) && step >= 0)) {
    throw new SkillError('INTERNAL', `media step must be a non-negative integer or "summary", got ${String(step)}`);
  }
  const row: Record<string, unknown> = {};
  const acc: Gathered = { slots: [], warnings: [], visualize: {} };
  await walk(metrics, row, ctx.issuePath ?? 'logData.metrics', ctx, acc, true);
  return { row, ...acc };
}

function record(slot: Slot, written: WrittenFile[], files: MediaFile[]): void {
  slot.plan.files.forEach(({ prepared }, i) => {
    const w = written[i];
    if (w !== undefined) files.push({ kind: prepared.kind, key: slot.plan.key, ...w, meta: prepared.meta });
  });
  setOwn(slot.container, slot.field, slot.plan.build(written));
}

/**
 * Replaces media inputs in `metrics` with W&B descriptors and writes their files.
 * @example
 * const { row } = await encodeMetrics({ sample: { _type: 'image', path: 'out.png' } }, { filesDir, step: 3 });
 * // row.sample = { _type: 'image-file', sha256, size, path: 'media/images/sample_3_<sha20>.png', format: 'png', width, height }
 */
export async function encodeMetrics(metrics: Record<string, unknown>, ctx: MediaContext): Promise<EncodeResult> {
  const { row, slots, warnings, visualize } = await plan(metrics, ctx);
  const files: MediaFile[] = [];
  for (const slot of slots) {
    const written: WrittenFile[] = [];
    for (const f of slot.plan.files) written.push(await writePrepared(f.prepared, f.target, ctx));
    record(slot, written, files);
  }
  return { row, files, warnings, visualize };
}
