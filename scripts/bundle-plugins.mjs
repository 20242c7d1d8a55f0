// The esbuild plugins of the CLI bundle (scripts/bundle-cli.mjs) that shape what goes in it.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';

/**
 * `await import('node:fs/promises')` (a built-in loaded only when used) becomes a lazy require: an
 * import() left in the bundle fails inside the loader's vm.Script on Node 20 ("A dynamic import
 * callback was not specified").
 */
export const builtinImportsAsRequire = {
  name: 'builtin-imports-as-require',
  setup(b) {
    b.onResolve({ filter: /^node:/ }, (args) => (args.kind === 'dynamic-import' ? { path: args.path, namespace: 'builtin-require' } : undefined));
    b.onLoad({ filter: /.*/, namespace: 'builtin-require' }, (args) => ({ contents: `module.exports = require(${JSON.stringify(args.path)});`, loader: 'js' }));
  },
};

/**
 * ajv's one runtime helper the generated validators call (ucs2length, a few lines) is bundled: as an
 * external it costs every call a walk through node_modules and ajv's package.json. ajv itself stays out.
 */
export const ajvRuntimeInBundle = {
  name: 'ajv-runtime-in-bundle',
  setup(b) {
    b.onResolve({ filter: /^ajv\/dist\/runtime\/ucs2length(\.js)?$/ }, () => ({
      path: createRequire(import.meta.url).resolve('ajv/dist/runtime/ucs2length.js'),
    }));
  },
};

/**
 * The generated W&B protobuf code and protobufjs (about 40% of the bundle) only serve `wandb-skill
 * import` and `export`: they live in their own file, wandb-proto.cjs, required when those run, so a
 * log call does not read them. Both the generated code and the modules that read records take
 * protobufjs from that one file (one copy: its Reader/Writer instances cross between them).
 */
const PROTO_CHUNK = './wandb-proto.cjs';
export const protoInChunk = {
  name: 'proto-in-chunk',
  setup(b) {
    b.onResolve({ filter: /\/gen\/wandb-proto\.js$/ }, () => ({ path: 'wandb_internal', namespace: 'proto-chunk' }));
    b.onResolve({ filter: /^protobufjs\/minimal(\.js)?$/ }, () => ({ path: 'protobuf', namespace: 'proto-chunk' }));
    b.onResolve({ filter: /^\.\/wandb-proto\.cjs$/ }, () => ({ path: PROTO_CHUNK, external: true }));
    b.onLoad({ filter: /.*/, namespace: 'proto-chunk' }, (args) => ({
      contents:
        args.path === 'protobuf'
          ? `module.exports = require(${JSON.stringify(PROTO_CHUNK)}).protobuf;`
          : `module.exports = { wandb_internal: require(${JSON.stringify(PROTO_CHUNK)}).wandb_internal };`,
      loader: 'js',
    }));
  },
};

/**
 * esbuild's keepNames pins every function's name with a call at start-up (thousands on the log path,
 * about 1.5 ms of a one-call process). Only class names are observable (an error's constructor name
 * in pino's `type`), so only they are pinned: the project's top-level classes and better-sqlite3's
 * SqliteError (a function used as a class).
 */
export const classNamesKept = {
  name: 'class-names-kept',
  setup(b) {
    b.onLoad({ filter: /[\\/]src[\\/].*\.ts$/ }, (args) => {
      const text = readFileSync(args.path, 'utf8');
      const names = [...text.matchAll(/^(?:export )?(?:abstract )?class (\w+)/gm)].map((m) => m[1]);
      const pins = names.map((n) => `\nObject.defineProperty(${n}, 'name', { value: '${n}', configurable: true });`).join('');
      return { contents: text + pins, loader: 'ts' };
    });
    b.onLoad({ filter: /better-sqlite3[\\/]lib[\\/]sqlite-error\.js$/ }, (args) => ({
      contents: readFileSync(args.path, 'utf8') + "\nObject.defineProperty(SqliteError, 'name', { value: 'SqliteError', configurable: true });\n",
      loader: 'js',
    }));
  },
};
