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
import { MEDIA_INPUT_TYPES, MEDIA_KINDS, fileDescriptor, isListDescriptor, isMediaInput, type MediaInputType } from './kinds.js';
import type { EncodeResult, MediaContext, MediaFile, MediaKind, PreparedFile, VisualizeEntry, WrittenFile } from './types.js';
import { type WriteTarget, writePrepared } from './write-file.js';

export { IMAGE_LIST_MAX, MEDIA_INPUT_TYPES, isMediaInput, type MediaInputType } from './kinds.js';

// Descriptors W&B itself writes; met again (e.g. a row re-logged), they pass through unchanged.
const DESCRIPTOR_TYPES = new Set([
  ...Object.values(MEDIA_KINDS).map((k) => k.fileType),
  'incremental-table-file',
  'images/separated',
  'videos',
  'object3D-file',
  'object3D',
  'plotly-file',
  'joined-table',
  'partitioned-table',
]);

/** Own-property assignment: a metric named `__proto__` (legal in JSON) must not change the prototype. */
function setOwn(target: Record<string, unknown>, key: string, value: unknown): void {
  Object.defineProperty(target, key, { value, writable: true, enumerable: true, configurable: true });
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

interface Plan {
  key: string;
  files: { prepared: PreparedFile; target: WriteTarget }[];
  build(written: WrittenFile[]): unknown;
}
interface Slot {
  container: Record<string, unknown>;
  field: string;
  plan: Plan;
}
/** What a walk over the metrics gathers besides the row. */
interface Gathered {
  slots: Slot[];
  warnings: string[];
  visualize: Record<string, VisualizeEntry>;
}

async function planOne(input: Record<string, unknown>, key: string, issue: string, ctx: MediaContext, warnings: string[]): Promise<Plan> {
  const kind = input['_type'] as MediaInputType;
  if (kind === 'histogram') {
    const h = encodeHistogram(input, issue);
    return { key, files: [], build: () => h };
  }
  const target = { segments: keySegments(key, issue), issue };
  const prepared = await MEDIA_KINDS[kind].prepare(input, issue, ctx, warnings);
  return { key, files: [{ prepared, target }], build: ([w]) => fileDescriptor(prepared, w as WrittenFile) };
}

/** The kind shared by every item of a media list, or undefined if `v` is not such a list (W&B's `seq_to_json` kinds). */
function listKind(v: unknown): MediaKind | undefined {
  if (!Array.isArray(v) || v.length === 0 || !isMediaInput(v[0])) return undefined;
  const kind = v[0]._type;
  if (kind === 'histogram' || MEDIA_KINDS[kind].list === undefined || !v.every((x) => isMediaInput(x) && x._type === kind)) return undefined;
  return kind;
}

/**
 * A list of one media kind, written as W&B's list descriptor (see the kinds' `list`), each file
 * named as a single value's would be.
 */
async function planList(kind: MediaKind, list: unknown[], key: string, issue: string, ctx: MediaContext, warnings: string[]): Promise<Plan> {
  const { prepare, list: how } = MEDIA_KINDS[kind];
  const segments = keySegments(key, issue);
  const max = how?.max ?? list.length;
  if (list.length > max) warnings.push(`${issue}: ${kind} list cut to the first ${max} of ${list.length}, as W&B does`);
  // One item at a time: a list of 108 files never holds 108 descriptors and headers at once.
  const items: { prepared: PreparedFile; target: WriteTarget }[] = [];
  for (const [i, item] of list.slice(0, max).entries()) {
    const at = `${issue}[${i}]`;
    items.push({ prepared: await prepare(item as Record<string, unknown>, at, ctx, warnings), target: { segments, issue: at } });
  }
  const prepared = items.map((it) => it.prepared);
  const captions = prepared.some((p) => p.caption !== undefined) ? prepared.map((p) => p.caption ?? '') : undefined;
  const descriptors = (written: WrittenFile[]): unknown[] => prepared.map((p, i) => fileDescriptor(p, written[i] as WrittenFile));
  const build = (how as NonNullable<typeof how>).plan({ items: prepared, issue, warnings, captions, descriptors });
  return { key, files: items, build };
}

/**
 * A chart at the top level of the metrics: its table goes under `<key>_table` (the slot returned),
 * its panel into `visualize`; the chart's own key stays out of the row, as in W&B.
 */
async function planChartTable(
  src: Record<string, unknown>,
  input: Record<string, unknown>,
  key: string,
  issue: string,
  ctx: MediaContext,
  acc: Gathered,
): Promise<Plan> {
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

async function walk(
  src: Record<string, unknown>,
  out: Record<string, unknown>,
  issuePrefix: string,
  ctx: MediaContext,
  acc: Gathered,
  top: boolean,
): Promise<void> {
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
