#!/usr/bin/env node
// The executable: the only place that touches `process`.
import { fstatSync, writeSync } from 'node:fs';
import { createRequire } from 'node:module';
import { run } from './main.js';
import { isReaderGone, type CliIo } from './io.js';
import { toStrictJson } from '../json/strict-json.js';

/**
 * Whether a descriptor is a terminal. node:tty loads the net and stream modules, a few ms of a
 * one-call process: only a character device (a terminal, or /dev/null) is asked of it.
 */
function isTTY(fd: number): boolean {
  try {
    if (!fstatSync(fd).isCharacterDevice()) return false;
  } catch {
    return false; // a closed descriptor is no terminal
  }
  return (createRequire(import.meta.url)('node:tty') as typeof import('node:tty')).isatty(fd);
}

/**
 * Runs the command so that no stack trace ever reaches a user: an unexpected throw becomes one JSON
 * error document (INTERNAL) on stdout and one line on stderr, exit 1; a reader that went away
 * (EPIPE) ends the output quietly.
 */
function main(): void {
  let answered = false;
  let failed = false;
  const fail = (err: unknown): void => {
    if (isReaderGone(err) || failed) return;
    failed = true;
    const message = (err instanceof Error ? err.message : String(err)).replace(/\s+/g, ' ').slice(0, 500);
    // Synchronous writes: the process ends right after, and a broken stream must not throw again.
    if (!answered) {
      const doc = { status: 'error', action: 'unknown', error: { code: 'INTERNAL', message: `internal error: ${message}` } };
      try {
        writeSync(1, toStrictJson(doc) + '\n');
      } catch {
        // stdout itself is what failed; stderr still says why
      }
    }
    try {
      writeSync(2, `wandb-skill: internal error: ${message}\n`);
    } catch {
      // nowhere left to report to
    }
    process.exit(1);
  };
  process.on('uncaughtException', fail);
  process.on('unhandledRejection', fail);
  // Nothing is left to run when beforeExit fires: exiting there (exit handlers still run, the exit
  // code is process.exitCode) spares a one-call process the teardown of its heap.
  process.once('beforeExit', () => process.exit());
  // The streams are built on first use (Node loads the net and stream modules for a pipe): a log
  // call writes its answer to descriptor 1 and never needs them.
  let stdoutSeen = false;
  let stderrSeen = false;
  const io: CliIo = {
    get stdin() {
      return process.stdin;
    },
    get stdout() {
      if (!stdoutSeen) process.stdout.on('error', fail);
      stdoutSeen = true;
      return process.stdout;
    },
    get stderr() {
      if (!stderrSeen) process.stderr.on('error', () => undefined); // nothing can be reported about stderr itself
      stderrSeen = true;
      return process.stderr;
    },
    stdoutFd: 1,
    isTTY,
    env: process.env,
    cwd: process.cwd(),
    signals: process,
    exitsAfter: true,
  };
  run(process.argv.slice(2), io).then((code) => {
    answered = true;
    process.exitCode = code;
  }, fail);
}

main();
