/**
 * The test server's `file_stream` semantics (PROTOCOL.md §3): lines written at offsets, the summary
 * replaced at offset 0, `complete`/`exitcode` ending the run. Anything a correct client never causes
 * (a gap, a different line at an existing offset, a history row whose `_step` does not increase) is
 * recorded as a violation; an identical line re-sent at its offset is an idempotent retry, counted only.
 */
import { parseExtended } from '../../src/json/extended-json.js';
import type { HistoryViolation, ServerRun } from './wandb-server-state.js';

export interface FileChunkBody {
  offset: number;
  content: string[];
}

export interface FileStreamBody {
  files?: Record<string, FileChunkBody>;
  uploaded?: string[];
  complete?: boolean;
  exitcode?: number;
  preempting?: boolean;
  [key: string]: unknown;
}

/** Checks the request shape; returns an error message or undefined. */
export function checkFileStreamBody(body: unknown): string | undefined {
  if (body === null || typeof body !== 'object' || Array.isArray(body)) return 'body must be a JSON object';
  const b = body as FileStreamBody;
  if (b.files !== undefined) {
    if (b.files === null || typeof b.files !== 'object') return 'files must be an object';
    for (const [name, chunk] of Object.entries(b.files)) {
      if (chunk === null || typeof chunk !== 'object') return `files.${name} must be an object`;
      if (!Number.isInteger(chunk.offset) || chunk.offset < 0) return `files.${name}.offset must be a non-negative integer`;
      if (!Array.isArray(chunk.content) || chunk.content.some((l) => typeof l !== 'string')) return `files.${name}.content must be an array of strings`;
    }
  }
  if (b.uploaded !== undefined && (!Array.isArray(b.uploaded) || b.uploaded.some((u) => typeof u !== 'string'))) return 'uploaded must be an array of strings';
  if (b.complete !== undefined && typeof b.complete !== 'boolean') return 'complete must be a boolean';
  return undefined;
}

function stepOf(parsed: unknown): number | undefined {
  if (parsed === null || typeof parsed !== 'object') return undefined;
  const step = (parsed as { _step?: unknown })._step;
  return typeof step === 'number' ? step : undefined;
}

function writeLines(run: ServerRun, file: string, chunk: FileChunkBody, target: string[], violations: HistoryViolation[], parsedTarget?: unknown[]): void {
  const where = `${run.entity}/${run.project}/${run.name}`;
  if (chunk.offset > target.length) {
    violations.push({ run: where, file, kind: 'gap', offset: chunk.offset, expected: target.length });
  }
  chunk.content.forEach((line, i) => {
    const at = chunk.offset + i;
    let parsed: unknown;
    if (parsedTarget !== undefined) {
      try {
        parsed = parseExtended(line);
      } catch (err) {
        violations.push({ run: where, file, kind: 'overwrite', offset: at, expected: at, detail: `unparsable line: ${String(err)}` });
      }
    }
    if (at < target.length && target[at] !== undefined) {
      if (target[at] === line) {
        run.resentLines += 1;
        return;
      }
      violations.push({
        run: where,
        file,
        kind: 'overwrite',
        offset: at,
        expected: target.length,
        detail: 'a different line was written at an existing offset',
      });
    } else if (parsedTarget !== undefined) {
      const prev = stepOf(parsedTarget[at - 1]);
      const step = stepOf(parsed);
      if (prev !== undefined && step !== undefined && step <= prev) {
        violations.push({ run: where, file, kind: 'duplicate-step', offset: at, expected: target.length, detail: `_step ${step} after _step ${prev}` });
      }
    }
    target[at] = line;
    if (parsedTarget !== undefined) parsedTarget[at] = parsed;
  });
}

/** Applies one request to a run; returns whether the run should be told to stop. */
export function applyFileStream(run: ServerRun, body: FileStreamBody, violations: HistoryViolation[]): { stopped: boolean } {
  run.fileStreamRequests += 1;
  run.heartbeatAt = new Date().toISOString();
  const files = body.files ?? {};
  const isHeartbeat = Object.keys(body).filter((k) => k !== 'files').length === 0 && Object.keys(files).length === 0;
  if (isHeartbeat) run.heartbeats += 1;
  for (const [name, chunk] of Object.entries(files)) {
    if (name === 'wandb-history.jsonl') writeLines(run, name, chunk, run.historyText, violations, run.history);
    else if (name === 'wandb-events.jsonl') writeLines(run, name, chunk, run.eventsText, violations);
    else if (name === 'output.log') {
      // Console lines may be rewritten (progress bars), so no violation checks here.
      chunk.content.forEach((line, i) => {
        run.logLines[chunk.offset + i] = line;
      });
    } else if (name === 'wandb-summary.json') {
      const line = chunk.content[chunk.content.length - 1];
      if (line !== undefined) {
        run.summaryText = line;
        const parsed = parseExtended(line);
        run.summary = parsed !== null && typeof parsed === 'object' ? (parsed as Record<string, unknown>) : {};
      }
    }
  }
  if (Array.isArray(body.uploaded)) run.uploaded.push(...body.uploaded);
  if (body.complete === true) {
    run.exitcode = typeof body.exitcode === 'number' ? body.exitcode : 0;
    run.state = run.exitcode === 0 ? 'finished' : 'failed';
  } else if (run.state !== 'running' && run.state !== 'killed') {
    run.state = 'running';
  }
  return { stopped: run.stopped };
}
