import type { Logger } from 'pino';
import { createRunnerResources } from '../runner/resources.js';
import { runnerFrom } from '../runner/runner.js';
import { parseJsonText } from '../json/json-text.js';
import { toErrorPayload, SkillError } from '../errors.js';
import type { SkillOutput } from '../contract/types.generated.js';
import type { ProgressEvent } from '../services.js';
import { usageDocument, usageError, write, writeStdout, type CliIo } from './io.js';
import { toStrictJson } from '../json/strict-json.js';
import { createProgressBar } from './progress.js';
import { HELP_HINT } from './help.js';
import { readInputFile } from './input-file.js';
import { MAX_INPUT_BYTES, readAll } from '../read-all.js';
import { checkOutputTarget, writeOutput, type OutputTarget } from './output-target.js';
import { checkTaskPost, writeTaskPost, type TaskPostTarget } from './task-post.js';

export interface ExecArgs {
  json?: string | undefined;
  inputPath?: string | undefined;
  outputPath?: string | undefined;
  /** `--task-post DIR`: also write the orchestrator's value or error file there (see task-post.ts). */
  taskPostDir?: string | undefined;
}

async function readStdin(stream: NodeJS.ReadableStream): Promise<string> {
  const bytes = await readAll(stream, MAX_INPUT_BYTES, () => new SkillError('PAYLOAD_TOO_LARGE', `input is larger than ${MAX_INPUT_BYTES} bytes`));
  return bytes.toString('utf8');
}

function parseContext(text: string, source: string): unknown {
  if (text.trim() === '') {
    throw new SkillError('INVALID_INPUT', `${source} is empty: expected one JSON object`, {
      details: { issues: [{ path: '(context)', message: 'empty input' }] },
    });
  }
  try {
    // Keeps which numbers were written as floats (0.0 vs 0): W&B infers sweep distributions from that.
    return parseJsonText(text);
  } catch (cause) {
    const reason = cause instanceof Error ? cause.message : String(cause);
    throw new SkillError('INVALID_INPUT', `${source} is not valid JSON: ${reason}`, {
      cause,
      details: { issues: [{ path: '(context)', message: `malformed JSON: ${reason}` }] },
    });
  }
}

/**
 * The WAL size (pages) at which a call that leaves its store open checkpoints it: about what the
 * next process's WAL recovery reads (2 us a page) against a checkpoint (two fsyncs, a few ms) every
 * that many pages; a log call writes about one page.
 */
const LEFT_WAL_PAGES = 100;

/**
 * Runs the call as executeSkill would with a runner of its own (replicating before it returns), and
 * closes the runner after it, unless the process exits right after: then the store's connection is
 * left for the OS to let go. Closing a WAL store's last connection checkpoints the WAL into the
 * database and deletes it (two fsyncs, a directory fsync on the next call's new WAL, an unlink:
 * about a quarter of a one-call process); left, every commit is already in the WAL, where the next
 * process's SQLite finds it, as it would after a crash (WAL mode is made for that).
 */
async function runOnce(context: unknown, io: CliIo, logger: Logger, progress: ((p: ProgressEvent) => void) | undefined): Promise<SkillOutput> {
  const resources = createRunnerResources(
    { replication: 'sync', env: io.env, cwd: io.cwd, logger },
    // A process about to exit starts no checkpoint worker (it would be cut off mid-way).
    io.exitsAfter === true ? { walAutocheckpointPages: LEFT_WAL_PAGES, backgroundCheckpoints: false } : undefined,
  );
  try {
    return await runnerFrom(resources).execute(context, progress === undefined ? undefined : { progress });
  } finally {
    if (io.exitsAfter === true) resources.replicator.stop();
    else resources.close();
  }
}

/** One skill call from the shell: read the context, run it, write exactly one JSON document. */
export async function execCommand(args: ExecArgs, io: CliIo, logger: Logger): Promise<number> {
  // The output target is checked before anything runs: a call whose answer cannot be written must not act.
  let post: TaskPostTarget | undefined;
  if (args.taskPostDir !== undefined) {
    try {
      post = checkTaskPost(args.taskPostDir, io.env, io.cwd);
    } catch (err) {
      const message = (err instanceof Error ? err.message : String(err)).replace(/--output/g, '--task-post');
      return usageError(io, message, { action: 'unknown', prefix: 'wandb-skill', help: HELP_HINT, field: '--task-post' });
    }
  }
  let target: OutputTarget | undefined;
  if (args.outputPath !== undefined) {
    try {
      target = checkOutputTarget(args.outputPath, io.env, io.cwd);
    } catch (err) {
      const message = err instanceof Error ? err.message : String(err);
      if (post !== undefined) await writeTaskPost(post, usageDocument(message, { action: 'unknown', field: '--output' })).catch(() => undefined);
      return usageError(io, message, { action: 'unknown', prefix: 'wandb-skill', help: HELP_HINT, field: '--output' });
    }
  }
  let output: SkillOutput;
  try {
    let text: string;
    let source: string;
    if (args.json !== undefined) {
      if (Buffer.byteLength(args.json) > MAX_INPUT_BYTES) throw new SkillError('PAYLOAD_TOO_LARGE', 'input too large');
      text = args.json;
      source = 'the JSON argument';
    } else if (args.inputPath !== undefined) {
      text = await readInputFile(args.inputPath, io.cwd, MAX_INPUT_BYTES);
      source = `--input ${args.inputPath}`;
    } else {
      text = await readStdin(io.stdin);
      source = 'standard input';
    }
    // Asked of the descriptor first: building process.stderr costs a one-call process its stream modules.
    const onProgress = io.isTTY?.(2) === false ? undefined : createProgressBar(io.stderr);
    output = await runOnce(parseContext(text, source), io, logger, onProgress);
  } catch (err) {
    output = { status: 'error', action: 'unknown', error: toErrorPayload(err) };
  }
  if (post !== undefined) {
    try {
      await writeTaskPost(post, output);
    } catch (err) {
      // The answer still reaches stdout; the worker must not post a file that was not written.
      const warning = `--task-post ${args.taskPostDir ?? ''} could not be written (${err instanceof Error ? err.message : String(err)})`;
      await write(io.stderr, `wandb-skill: ${warning}\n`);
      output = { ...output, warnings: [...(output.warnings ?? []), warning] };
    }
  }
  const json = toStrictJson(output) + '\n';
  if (target === undefined) {
    await writeStdout(io, json);
  } else {
    try {
      await writeOutput(target, json);
    } catch (err) {
      // The action has happened: its answer (the runId, ...) must still reach the caller.
      const reason = err instanceof Error ? err.message : String(err);
      const warning = `--output ${target.given} could not be written (${reason}); the result is on standard output instead`;
      await write(io.stderr, `wandb-skill: ${warning}\n`);
      await writeStdout(io, toStrictJson({ ...output, warnings: [...(output.warnings ?? []), warning] }) + '\n');
    }
  }
  return output.status === 'success' ? 0 : 1;
}
