import type { Readable, Writable } from 'node:stream';

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
}

/** JSON for agents: strictly valid, so NaN and ±Infinity are written as the strings "NaN", "Infinity", "-Infinity". */
export function toStrictJson(value: unknown, indent?: number): string {
  return JSON.stringify(
    value,
    (_k, v: unknown) => (typeof v === 'number' && !Number.isFinite(v) ? String(v) : v),
    indent,
  );
}

export function write(stream: Writable, text: string): Promise<void> {
  return new Promise((resolve, reject) => {
    stream.write(text, (err) => (err ? reject(err) : resolve()));
  });
}
