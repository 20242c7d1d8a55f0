/**
 * Runs, sweeps, artifact versions and reports of the server's store as MCP resources. Reads only:
 * through the store's typed tables (and src/store/mcp-reads.ts for the lists they lack).
 */
import { readFile, stat } from 'node:fs/promises';
import type { Store } from '../store/index.js';
import type { ReportRecord } from '../store/reports.js';
import { readSummary } from '../runs/lifecycle.js';
import { capSummary } from '../runs/summary-cap.js';
import { resourceUri, type ResourceRef } from './resource-uris.js';
import { toStrictJson } from '../json/strict-json.js';

/** Bounds of one resources/list answer, so a large store never answers with megabytes. */
export const LIST_LIMITS = { projects: 100, runs: 200, sweeps: 100, artifacts: 200, reports: 100 };
/** A report file larger than this is not inlined (its path is in the listing). */
export const MAX_REPORT_BYTES = 8 * 1024 * 1024;
/** Files of an artifact version shown in its resource. */
const MAX_FILES = 200;

export interface ResourceEntry {
  uri: string;
  name: string;
  title: string;
  mimeType?: string;
  description?: string;
}

export interface ResourceContent {
  uri: string;
  mimeType: string;
  text: string;
}

const REPORT_MIME: Record<ReportRecord['format'], string> = { html: 'text/html', markdown: 'text/markdown', json: 'application/json' };

/** Every resource of the store, newest first within each kind, bounded by LIST_LIMITS. */
export function listResources(store: Store): ResourceEntry[] {
  const reads = store.listings;
  const reports = store.reports;
  const out: ResourceEntry[] = [];
  for (const project of reads.projects(LIST_LIMITS.projects)) {
    for (const r of store.runs.list(project, LIST_LIMITS.runs, 0)) {
      out.push({
        uri: resourceUri({ project, kind: 'runs', id: r.id }),
        name: `${project}/runs/${r.id}`,
        title: `run ${r.displayName} (${r.state})`,
        mimeType: 'application/json',
      });
    }
    for (const s of reads.sweeps(project, LIST_LIMITS.sweeps)) {
      out.push({
        uri: resourceUri({ project, kind: 'sweeps', id: s.id }),
        name: `${project}/sweeps/${s.id}`,
        title: `sweep ${s.id} (${s.method}, ${s.state})`,
        mimeType: 'application/json',
      });
    }
    for (const a of reads.artifactVersions(project, LIST_LIMITS.artifacts)) {
      const id = `${a.name}:v${a.versionIndex}`;
      out.push({
        uri: resourceUri({ project, kind: 'artifacts', id }),
        name: `${project}/artifacts/${id}`,
        title: `${a.type} ${id}`,
        mimeType: 'application/json',
        description: `${a.size} bytes`,
      });
    }
    for (const r of reports.list(project, LIST_LIMITS.reports)) {
      out.push({
        uri: resourceUri({ project, kind: 'reports', id: r.id }),
        name: `${project}/reports/${r.id}`,
        title: `report ${r.title}`,
        mimeType: REPORT_MIME[r.format],
        description: r.path,
      });
    }
  }
  return out;
}

function runDocument(store: Store, ref: ResourceRef): unknown {
  const run = store.runs.get(ref.project, ref.id);
  if (run === undefined) return undefined;
  const { summary, total } = capSummary(readSummary(store, run).value);
  return {
    project: run.project,
    runId: run.id,
    entity: run.entity,
    runName: run.displayName,
    state: run.state,
    config: run.config,
    summary,
    ...(total !== undefined ? { summaryKeys: total } : {}),
    tags: run.tags,
    notes: run.notes,
    group: run.group,
    jobType: run.jobType,
    sweepId: run.sweepId,
    step: run.step,
    historyLength: run.historyCount,
    createdAt: run.createdAt,
    updatedAt: run.updatedAt,
    finishedAt: run.finishedAt,
    exitCode: run.exitCode,
  };
}

function sweepDocument(store: Store, ref: ResourceRef): unknown {
  const sweeps = store.sweeps;
  const s = sweeps.get(ref.project, ref.id);
  if (s === undefined) return undefined;
  const { key: _key, remoteId: _remote, ...fields } = s;
  return { ...fields, runIds: sweeps.runIds(ref.project, ref.id) };
}

function artifactDocument(store: Store, ref: ResourceRef): unknown {
  const m = /^(.+):v(\d+)$/.exec(ref.id);
  if (m === null) return undefined;
  const artifacts = store.artifacts;
  const collection = artifacts.collection(ref.project, m[1] as string);
  const v = collection === undefined ? undefined : artifacts.versionByIndex(collection.key, Number(m[2]));
  if (v === undefined) return undefined;
  let contents: Record<string, { digest?: string; size?: number }> = {};
  try {
    contents = (JSON.parse(v.manifest) as { contents?: typeof contents }).contents ?? {};
  } catch {
    // an unreadable manifest lists no files; the version's own fields still answer
  }
  const paths = Object.keys(contents);
  return {
    project: v.project,
    name: v.name,
    type: v.type,
    version: `v${v.versionIndex}`,
    digest: v.digest,
    size: v.size,
    fileCount: v.fileCount,
    aliases: artifacts.aliasesOf(v.key),
    description: v.description,
    metadata: v.metadata,
    createdAt: v.createdAt,
    files: paths.slice(0, MAX_FILES).map((path) => ({ path, ...contents[path] })),
    ...(paths.length > MAX_FILES ? { filesOmitted: paths.length - MAX_FILES } : {}),
  };
}

async function reportContent(store: Store, ref: ResourceRef, uri: string): Promise<ResourceContent | undefined> {
  const r = store.reports.get(ref.id);
  if (r === undefined || r.project !== ref.project) return undefined;
  const size = await stat(r.path).then(
    (s) => s.size,
    () => undefined,
  );
  if (size === undefined || size > MAX_REPORT_BYTES) {
    // The file was removed or is too large to inline: the record says where it is and why.
    const why = size === undefined ? 'the report file is gone' : `the report file is ${size} bytes (more than ${MAX_REPORT_BYTES}); open it at path`;
    return { uri, mimeType: 'application/json', text: toStrictJson({ ...r, unavailable: why }) };
  }
  return { uri, mimeType: REPORT_MIME[r.format], text: await readFile(r.path, 'utf8') };
}

/** The content of one resource; undefined when the store holds no such thing. */
export async function readResource(store: Store, ref: ResourceRef): Promise<ResourceContent | undefined> {
  const uri = resourceUri(ref);
  if (ref.kind === 'reports') return reportContent(store, ref, uri);
  const doc = ref.kind === 'runs' ? runDocument(store, ref) : ref.kind === 'sweeps' ? sweepDocument(store, ref) : artifactDocument(store, ref);
  return doc === undefined ? undefined : { uri, mimeType: 'application/json', text: toStrictJson(doc) };
}
