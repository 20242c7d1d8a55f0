import { extname } from 'node:path';
import { pythonStr, toCommandArgs, type ArgsMacro } from '../sweeps/index.js';
import { SkillError } from '../errors.js';

/** W&B's agent command when the sweep config has none. */
export const DEFAULT_COMMAND: readonly string[] = ['${env}', '${interpreter}', '${program}', '${args}'];

const ARGS_MACROS = new Set<string>(['args', 'args_no_hyphens', 'args_no_boolean_flags', 'args_json', 'args_no_equals']);

export interface CommandInputs {
  /** The sweep config's `command` (W&B's default when absent). */
  command?: readonly unknown[] | undefined;
  program?: string | undefined;
  /** The run's parameters (plain nested values). */
  config: Record<string, unknown>;
  /** Writes the `${args_json_file}` file and returns its path (called only if the command uses it). */
  argsJsonFile: () => string;
  /** For `${envvar:NAME}`. */
  env: Record<string, string | undefined>;
  /** `${interpreter}`; default: see `defaultInterpreter`. */
  interpreter?: string | undefined;
  platform?: NodeJS.Platform;
}

/**
 * The interpreter for `${interpreter}`. W&B always says `python`; here a JavaScript program runs
 * with this Node.js, so a sweep over a `.js`/`.mjs`/`.cjs` program works without a command.
 */
export function defaultInterpreter(program: string | undefined, nodePath: string): string {
  const ext = program === undefined ? '' : extname(program).toLowerCase();
  return ext === '.js' || ext === '.mjs' || ext === '.cjs' ? nodePath : 'python';
}

/**
 * Expands a sweep command as W&B's agent does (SWEEPS.md section 9): `${envvar:NAME}` substituted in
 * every element; an element that is wholly `${macro}` replaced by the macro's argv elements (an
 * unknown macro by none); everything else passed through; no shell.
 * @example expandCommand({program: 'train.py', config: {lr: 0.1}, ...}) // ['/usr/bin/env', 'python', 'train.py', '--lr=0.1']
 */
export function expandCommand(inputs: CommandInputs): string[] {
  const template = inputs.command ?? DEFAULT_COMMAND;
  const platform = inputs.platform ?? process.platform;
  const argv: string[] = [];
  for (const element of template) {
    const text = pythonStr(element).replace(/\$\{envvar:([A-Z0-9_]*)\}/g, (_m, name: string) => inputs.env[name] ?? name);
    if (!(text.startsWith('${') && text.endsWith('}'))) {
      argv.push(text);
      continue;
    }
    const macro = text.slice(2, -1);
    if (macro === 'env') {
      if (platform !== 'win32') argv.push('/usr/bin/env');
    } else if (macro === 'interpreter') {
      argv.push(inputs.interpreter ?? defaultInterpreter(inputs.program, process.execPath));
    } else if (macro === 'program') {
      if (inputs.program === undefined) {
        throw new SkillError('INVALID_INPUT', 'the sweep command uses ${program} but the sweep config has no program', {
          details: { issues: [{ path: 'sweepConfig.program', message: 'required by the agent command' }] },
        });
      }
      argv.push(inputs.program);
    } else if (macro === 'args_json_file') {
      argv.push(inputs.argsJsonFile());
    } else if (ARGS_MACROS.has(macro)) {
      argv.push(...toCommandArgs(inputs.config, macro as ArgsMacro));
    }
  }
  if (argv.length === 0) {
    throw new SkillError('INVALID_INPUT', 'the sweep command expands to nothing', {
      details: { issues: [{ path: 'sweepConfig.command', message: 'expands to an empty argv' }] },
    });
  }
  return argv;
}
