import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { packageRoot } from '../paths.js';
import { createLogger } from '../logger.js';
import { HELP, HELP_HINT } from './help.js';
import { execCommand } from './exec.js';
import { usageDocument, usageError as usage, write, type CliIo } from './io.js';
import { SUBCOMMANDS } from './subcommands.js';
import { postUsageError, taskPostDirOf } from './task-post.js';

const LEVELS = new Set(['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent']);

function version(): string {
  const pkg = JSON.parse(readFileSync(join(packageRoot(import.meta.url), 'package.json'), 'utf8')) as { version: string };
  return pkg.version;
}

async function usageError(io: CliIo, message: string, taskPostDir?: string): Promise<number> {
  const opts = { action: 'unknown', prefix: 'wandb-skill', help: HELP_HINT };
  if (taskPostDir !== undefined) await postUsageError(taskPostDir, io.env, io.cwd, usageDocument(message, opts));
  return usage(io, message, opts);
}

/** The `wandb-skill` command: parses argv, runs a subcommand, returns the exit code. */
export async function run(argv: readonly string[], io: CliIo): Promise<number> {
  const sub = argv[0] === undefined ? undefined : SUBCOMMANDS[argv[0]];
  if (sub !== undefined) return (await sub())(argv.slice(1), io);
  const positional: string[] = [];
  const taskPostDir = taskPostDirOf(argv);
  const fail = (message: string): Promise<number> => usageError(io, message, taskPostDir);
  let inputPath: string | undefined;
  let outputPath: string | undefined;
  let level = io.env['WANDB_SKILL_LOG_LEVEL'] ?? 'warn';
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i] as string;
    const value = (): string | undefined => {
      const eq = a.indexOf('=');
      if (eq > 0) return a.slice(eq + 1);
      i += 1;
      return argv[i];
    };
    const flag = a.includes('=') ? a.slice(0, a.indexOf('=')) : a;
    if (flag === '--help' || flag === '-h') {
      await write(io.stdout, HELP);
      return 0;
    } else if (flag === '--version' || flag === '-v') {
      await write(io.stdout, version() + '\n');
      return 0;
    } else if (flag === '--input' || flag === '-i') {
      inputPath = value();
      if (inputPath === undefined) return fail('--input needs a file path');
    } else if (flag === '--output' || flag === '-o') {
      outputPath = value();
      if (outputPath === undefined) return fail('--output needs a file path');
    } else if (flag === '--task-post') {
      if (value() === undefined) return fail('--task-post needs a folder');
    } else if (flag === '--log-level') {
      const v = value();
      if (v === undefined || !LEVELS.has(v)) return fail(`--log-level must be one of ${[...LEVELS].join(', ')}`);
      level = v;
    } else if (a.startsWith('-') && a !== '-' && !a.startsWith('{')) {
      return fail(`unknown option ${a}`);
    } else {
      positional.push(a);
    }
  }
  if (!LEVELS.has(level)) level = 'warn';
  const logger = createLogger({ level, destination: () => io.stderr });
  const [first, ...rest] = positional;
  if (first === 'help') {
    await write(io.stdout, HELP);
    return 0;
  }
  if (positional.length > 1) return fail(`expected one JSON argument, got ${positional.length} arguments (quote the JSON)`);
  if (first !== undefined && inputPath !== undefined) return fail('give the context either as an argument or with --input, not both');
  if (first === undefined && inputPath === undefined && io.stdin.isTTY) {
    return fail('no input: pass the JSON context as an argument, with --input FILE, or on standard input');
  }
  void rest;
  const json = first === '-' ? undefined : first;
  return execCommand({ json, inputPath, outputPath, taskPostDir }, io, logger);
}
