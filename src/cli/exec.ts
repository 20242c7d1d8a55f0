import { readFile, rename, writeFile } from 'node:fs/promises';
import { dirname, basename, join, resolve } from 'node:path';
import type { Logger } from 'pino';
import { executeSkill } from '../skill.js';
import { parseJsonText } from '../json/json-text.js';
import { toErrorPayload, SkillError } from '../errors.js';
import type { SkillOutput } from '../contract/types.generated.js';
import { toStrictJson, write, type CliIo } from './io.js';
import { createProgressBar } from './progress.js';

/** Inputs above this are refused before parsing (a history row's own limit is about 10 MiB). */
export const MAX_INPUT_BYTES = 64 * 1024 * 1024;

export interface ExecArgs {
  json?: string | undefined;
  inputPath?: string | undefined;
  outputPath?: string | undefined;
}

async function readAll(stream: NodeJS.ReadableStream): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of stream) {
    const b = typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Buffer);
    size += b.length;
    if (size > MAX_INPUT_BYTES) throw new SkillError('PAYLOAD_TOO_LARGE', `input is larger than ${MAX_INPUT_BYTES} bytes`);
    chunks.push(b);
  }
  return Buffer.concat(chunks).toString('utf8');
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

async function writeAtomically(path: string, text: string): Promise<void> {
  const tmp = join(dirname(path), `.${basename(path)}.${process.pid}.tmp`);
  await writeFile(tmp, text);
  await rename(tmp, path);
}

/** One skill call from the shell: read the context, run it, write exactly one JSON document. */
export async function execCommand(args: ExecArgs, io: CliIo, logger: Logger): Promise<number> {
  let output: SkillOutput;
  try {
    let text: string;
    let source: string;
    if (args.json !== undefined) {
      if (Buffer.byteLength(args.json) > MAX_INPUT_BYTES) throw new SkillError('PAYLOAD_TOO_LARGE', 'input too large');
      text = args.json;
      source = 'the JSON argument';
    } else if (args.inputPath !== undefined) {
      const path = resolve(io.cwd, args.inputPath);
      try {
        text = await readFile(path, 'utf8');
      } catch (cause) {
        throw new SkillError('INVALID_INPUT', `--input ${args.inputPath} cannot be read`, {
          cause,
          details: { issues: [{ path: '--input', message: 'file cannot be read' }] },
        });
      }
      source = `--input ${args.inputPath}`;
    } else {
      text = await readAll(io.stdin);
      source = 'standard input';
    }
    const onProgress = createProgressBar(io.stderr);
    output = await executeSkill(parseContext(text, source), { env: io.env, cwd: io.cwd, logger, ...(onProgress ? { onProgress } : {}) });
  } catch (err) {
    output = { status: 'error', action: 'unknown', error: toErrorPayload(err) };
  }
  const json = toStrictJson(output) + '\n';
  if (args.outputPath !== undefined) {
    await writeAtomically(resolve(io.cwd, args.outputPath), json);
  } else {
    await write(io.stdout, json);
  }
  return output.status === 'success' ? 0 : 1;
}
