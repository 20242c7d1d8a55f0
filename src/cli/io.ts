import { writeSync } from 'node:fs';
import type { Readable, Writable } from 'node:stream';
import type { SkillOutput } from '../contract/types.generated.js';
import { toStrictJson } from '../json/strict-json.js';

/** Stop signals a long-running subcommand listens to: the process in the executable, an emitter in tests. */
export interface StopSignals {
  once(event: 'SIGINT' | 'SIGTERM', fn: () => void): unknown;
  off(event: 'SIGINT' | 'SIGTERM', fn: () => void): unknown;
}

/** The streams and process facts a CLI command may touch; only bin.ts builds it from `process`. */
export interface CliIo {
  /** SIGINT/SIGTERM for long-running subcommands (serve, agent); absent, they are not handled. */
  signals?: StopSignals;
  stdin: Readable & { isTTY?: boolean };
  stdout: Writable & { isTTY?: boolean };
  stderr: Writable & { isTTY?: boolean };
  env: Record<string, string | undefined>;
  cwd: string;
  /**
   * The executable's own stdout descriptor (1), written synchronously by `writeStdout`; absent in
   * tests. Node builds `process.stdout` (a socket for a pipe, loading the net and stream modules) on
   * first use: a one-call process that never touches it saves that start-up.
   */
  stdoutFd?: number;
  /** Whether a descriptor is a terminal, asked without building its stream; absent, the stream's `isTTY` is read. */
  isTTY?: (fd: 0 | 1 | 2) => boolean;
  /**
   * The process ends right after the command (the executable): a skill call leaves its store open
   * for the OS to let go (see execCommand). Absent, the store is closed as usual.
   */
  exitsAfter?: boolean;
}

/** The reader went away (`| head`, a closed pipe): nothing more can reach it, and that is not an error. */
export function isReaderGone(err: unknown): boolean {
  const code = (err as { code?: unknown } | null)?.code;
  return code === 'EPIPE' || code === 'ERR_STREAM_DESTROYED';
}

export function write(stream: Writable, text: string | Uint8Array): Promise<void> {
  return new Promise((resolve, reject) => {
    stream.write(text, (err) => (err && !isReaderGone(err) ? reject(err) : resolve()));
  });
}

/**
 * Writes the answer to stdout: synchronously to `io.stdoutFd` when there is one (what is left after
 * a full non-blocking pipe, EAGAIN, goes through the stream), else through `io.stdout`.
 */
export async function writeStdout(io: CliIo, text: string): Promise<void> {
  if (io.stdoutFd === undefined) return write(io.stdout, text);
  const bytes = Buffer.from(text, 'utf8');
  let done = 0;
  try {
    while (done < bytes.length) done += writeSync(io.stdoutFd, bytes, done, bytes.length - done);
  } catch (err) {
    if (isReaderGone(err)) return;
    if ((err as { code?: unknown }).code !== 'EAGAIN') throw err;
    return write(io.stdout, bytes.subarray(done)); // bytes: a cut may fall inside a character
  }
}

export interface UsageErrorOptions {
  /** The `action` of the JSON document (`unknown` for the skill call itself, else the subcommand). */
  action: string;
  /** What stderr's line starts with (`wandb-skill`, `wandb-skill agent`). */
  prefix: string;
  /** Printed on stderr after the message. */
  help: string;
  /** The flag or argument at fault, for `error.details.issues`. */
  field?: string;
}

/** The JSON error document of a usage error (INVALID_INPUT, the message prefixed `usage:`). */
export function usageDocument(message: string, opts: Pick<UsageErrorOptions, 'action' | 'field'>): SkillOutput {
  const error = {
    code: 'INVALID_INPUT' as const,
    message: `usage: ${message}`,
    ...(opts.field !== undefined ? { details: { issues: [{ path: opts.field, message }] } } : {}),
  };
  return { status: 'error', action: opts.action, error };
}

/** A usage error: the message and help on stderr, one JSON error document on stdout (agents read only stdout), exit 2. */
export async function usageError(io: CliIo, message: string, opts: UsageErrorOptions): Promise<number> {
  await write(io.stderr, `${opts.prefix}: ${message}\n${opts.help}`);
  await write(io.stdout, toStrictJson(usageDocument(message, opts)) + '\n');
  return 2;
}
