/**
 * Runs on the W&B server: UpsertBucket, history and summary through the file stream, logged files and
 * the finish files, each sent once from the store's acknowledged cursors (see replicateRun).
 */
import { createHash } from 'node:crypto';
import { SkillError, normalizeError } from '../errors.js';
import type { RunRecord, Store } from '../store/index.js';
import type { SyncRow } from '../store/sync.js';
import { readSummary, runtimeAt } from '../runs/lifecycle.js';
import { stringifyExtended } from '../json/extended-json.js';
import { upsertBucket } from '../wandb/operations.js';
import { encodeConfigJson } from '../wandb/config-encoding.js';
import { wandbConfigForServer } from '../media/chart.js';
import { createFileStream } from '../wandb/file-stream.js';
import { uploadRunFiles } from '../wandb/uploads.js';
import { runUrl as wandbRunUrl } from '../wandb/urls.js';
import { redactUrl, redactUrlsInText } from '../redact-url.js';
import type { Connection } from './connection.js';
import { writeFinishFiles } from './run-files.js';
import type { OnlineScope } from './scope.js';

/** Lines per file_stream request (the client also splits at ~10 MiB). */
const CHUNK_LINES = 2000;
/** A writer holding a run's lease for longer than this is presumed dead. */
const LEASE_TTL_MS = 60_000;

export interface ReplicateOptions {
  /** Identifies this writer for the run's lease (process + runner). */
  owner: string;
  /** Give up waiting for another writer's lease at this time (ms since epoch). */
  deadlineMs: number;
  /** Package version for wandb-metadata.json. */
  version?: string;
  /** Post W&B's `{}` heartbeat when there is nothing new to send (a quiet running run). */
  heartbeat?: boolean;
}

export interface ReplicateOutcome {
  /** Everything the store held for the run when this finished is on the server. */
  synced: boolean;
  runUrl?: string;
  entity?: string;
  storageId?: string;
  /** The server asked the run to stop (file_stream answered `stopped: true`). */
  stopRequested: boolean;
  linesSent: number;
  error?: SkillError;
}

function encodeWithCharts(config: Record<string, unknown>): string {
  const w = wandbConfigForServer(config);
  return encodeConfigJson(config, w === undefined ? {} : { wandb: w });
}

function metaHash(run: RunRecord): string {
  const meta = [run.displayName, run.config, run.tags, run.notes, run.group, run.jobType, run.sweepId];
  return createHash('sha1').update(stringifyExtended(meta)).digest('hex');
}

function isTerminal(run: RunRecord): boolean {
  return run.state !== 'running' && run.state !== 'pending';
}

/**
 * Pushes to the W&B server what it has not yet seen of one run: the run itself (UpsertBucket, again
 * when its metadata changed), history lines from the cursor on at their offsets with the whole
 * summary, the finish files and `complete` once the run has ended. Cursors advance only after the
 * server acknowledged, so a retry re-sends the same offsets. Never throws: failures are returned.
 */
export async function replicateRun(scope: OnlineScope, store: Store, conn: Connection, runKey: number, options: ReplicateOptions): Promise<ReplicateOutcome> {
  const sync = store.sync;
  store.write(() => sync.ensure(runKey, redactUrl(conn.baseUrl)));
  // One writer per run at a time; others wait (bounded) so their own rows are sent before they return.
  while (!store.write(() => sync.tryLease(runKey, options.owner, scope.now(), LEASE_TTL_MS))) {
    if (scope.now() >= options.deadlineMs) {
      return { synced: false, stopRequested: false, linesSent: 0, error: new SkillError('TIMEOUT', 'another process is replicating this run') };
    }
    // The same clock as the lease and the deadline: the services' (a test's fake clock steps both).
    await scope.sleep(25);
  }
  let linesSent = 0;
  let state = sync.get(runKey) as SyncRow;
  try {
    for (let round = 0; ; round++) {
      const run = store.runs.getByKey(runKey);
      if (run === undefined) throw new SkillError('NOT_FOUND', `run ${runKey} vanished from the store`);
      const entity = state.entity ?? run.entity ?? conn.entity;
      const hash = metaHash(run);
      if (state.storageId === null || state.metaHash !== hash) {
        const res = await upsertBucket(conn.client, {
          id: state.storageId,
          name: run.id,
          project: run.project,
          entity,
          displayName: run.displayName,
          notes: run.notes,
          tags: run.tags,
          groupName: run.group,
          jobType: run.jobType,
          // _wandb.visualize (chart panels) travels inside W&B's own _wandb entry.
          config: encodeWithCharts(run.config),
          host: run.host,
          sweep: run.sweepId,
        });
        const serverEntity = res.bucket.project?.entity.name ?? entity;
        // A lost acknowledgement: the server already holds lines we thought unsent.
        const serverLines = (res.bucket.historyLineCount ?? 0) - state.lineOffset;
        const historySent = Math.min(run.historyCount, Math.max(state.historySent, serverLines));
        store.write(() => sync.update(runKey, { storageId: res.bucket.id, entity: serverEntity, metaHash: hash, historySent, lastError: null }));
        state = sync.get(runKey) as SyncRow;
      }
      const ent = state.entity ?? entity;
      const stream = createFileStream({ ...conn.transport, baseUrl: conn.baseUrl, apiKey: conn.apiKey, entity: ent, project: run.project, runId: run.id });
      const terminal = isTerminal(run);
      let uploaded: string[] = [];
      let summary = readSummary(store, run).value;
      if (!terminal) {
        const wandb = typeof summary['_wandb'] === 'object' && summary['_wandb'] !== null ? summary['_wandb'] : {};
        summary = { ...summary, _wandb: { ...wandb, runtime: Math.floor(runtimeAt(run, scope.now() / 1000)) } };
      }
      // Logged media first (recorded by log() in run_files), then the finish files once the run ended.
      const media = store.runFiles.pending(run.key, 500);
      if (media.length > 0) {
        uploaded = (await uploadRunFiles({ ...conn.transport, client: conn.client, entity: ent, project: run.project, runId: run.id, files: media })).uploaded;
      }
      if (terminal && !state.filesSent) {
        const files = writeFinishFiles(scope.settings.dir, run, summary, options.version ?? '0.0.0');
        uploaded.push(...(await uploadRunFiles({ ...conn.transport, client: conn.client, entity: ent, project: run.project, runId: run.id, files })).uploaded);
      }
      // Send history from the cursor, chunk by chunk; the last request carries complete/exitcode.
      for (;;) {
        const lines = store.history.lines(run.key, state.historySent, CHUNK_LINES);
        const last = state.historySent + lines.length >= run.historyCount;
        const summaryLine = stringifyExtended(summary);
        const summaryHash = createHash('sha1').update(summaryLine).digest('hex');
        const needComplete = terminal && last && !state.completeSent;
        if (lines.length === 0 && summaryHash === state.summaryHash && !needComplete && uploaded.length === 0) {
          if (options.heartbeat === true && round === 0 && !terminal) {
            const res = await stream.heartbeat();
            if (res.stopped) store.write(() => sync.update(runKey, { stopRequested: true }));
          }
          break;
        }
        const res = await stream.send({
          ...(lines.length > 0 ? { historyLines: { offset: state.lineOffset + state.historySent, lines: lines.map((l) => l.line) } } : {}),
          ...(last ? { summaryLine } : {}),
          ...(last && uploaded.length > 0 ? { uploaded } : {}),
          ...(needComplete ? { complete: { exitcode: run.exitCode ?? 0 } } : {}),
        });
        linesSent += lines.length;
        const patch = {
          historySent: state.historySent + lines.length,
          ...(last ? { summaryHash } : {}),
          ...(needComplete ? { completeSent: true, filesSent: true } : {}),
          ...(last && uploaded.length > 0 ? { filesSent: true } : {}),
          ...(res.stopped ? { stopRequested: true } : {}),
        };
        const sentFiles = last ? uploaded : [];
        store.write(() => {
          sync.update(runKey, patch);
          if (sentFiles.length > 0) store.runFiles.markUploaded(runKey, sentFiles);
        });
        state = sync.get(runKey) as SyncRow;
        if (last) {
          uploaded = [];
          break;
        }
      }
      // Rows committed by other writers while we sent: go round again (they may be waiting on our lease).
      const after = store.runs.getByKey(runKey) as RunRecord;
      if (after.historyCount === state.historySent && (!isTerminal(after) || state.completeSent) && metaHash(after) === state.metaHash) {
        return {
          synced: true,
          runUrl: wandbRunUrl({ appUrl: conn.appUrl, entity: ent, project: run.project, runId: run.id }),
          entity: ent,
          storageId: state.storageId ?? '',
          stopRequested: state.stopRequested,
          linesSent,
        };
      }
      if (scope.now() >= options.deadlineMs || round > 1000) {
        return {
          synced: false,
          stopRequested: state.stopRequested,
          linesSent,
          error: new SkillError('TIMEOUT', 'replication did not catch up before the deadline'),
        };
      }
    }
  } catch (err) {
    const error = normalizeError(err);
    store.write(() => sync.update(runKey, { lastError: redactUrlsInText(`${error.code}: ${error.message}`) }));
    return { synced: false, stopRequested: state.stopRequested, linesSent, error };
  } finally {
    store.write(() => sync.release(runKey, options.owner));
  }
}

/**
 * Makes sure the run exists on the W&B server and is up to date (for actions that refer to a run
 * there: artifacts, alerts, sweeps). Throws the replication error when it could not.
 */
export async function ensureRunOnServer(scope: OnlineScope, store: Store, run: RunRecord, conn: Connection): Promise<{ storageId: string; entity: string }> {
  const out = await replicateRun(scope, store, conn, run.key, {
    owner: `ensure-${process.pid}-${Math.random().toString(36).slice(2)}`,
    deadlineMs: scope.now() + scope.settings.syncTimeoutMs,
  });
  if (!out.synced || out.storageId === undefined) throw out.error ?? new SkillError('BACKEND_UNAVAILABLE', 'the run could not be replicated');
  return { storageId: out.storageId, entity: out.entity ?? conn.entity };
}
