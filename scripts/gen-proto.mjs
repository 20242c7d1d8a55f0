// Generates the protobuf code for W&B's offline run files (src/wandb-files/gen/) from the vendored
// .proto files in proto/ with protobufjs-cli (pbjs static code, pbts types). Run by `npm run build`;
// skipped when the .proto files and options are unchanged since the last run (pbts takes a while).
import { createHash } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);
const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const protoDir = join(root, 'proto');
const main = join(protoDir, 'wandb', 'proto', 'wandb_internal.proto');
const outDir = join(root, 'src', 'wandb-files', 'gen');
const distDir = join(root, 'dist', 'src', 'wandb-files', 'gen');
const js = join(outDir, 'wandb-proto.js');
const dts = join(outDir, 'wandb-proto.d.ts');
const stamp = join(outDir, 'wandb-proto.stamp');

// Snake-case field names as in the .proto; no verify/convert code (we build messages ourselves).
const opts = ['-t', 'static-module', '-w', 'esm', '--es6', '--keep-case', '--no-verify', '--no-convert', '--no-delimited', '--no-typeurl'];
const pbjs = require.resolve('protobufjs-cli/bin/pbjs');
const pbts = require.resolve('protobufjs-cli/bin/pbts');

const hash = createHash('sha256');
hash.update(JSON.stringify(opts));
hash.update(readFileSync(require.resolve('protobufjs-cli/package.json')));
for (const f of readdirSync(join(protoDir, 'wandb', 'proto')).sort()) hash.update(f).update(readFileSync(join(protoDir, 'wandb', 'proto', f)));
const digest = hash.digest('hex');

mkdirSync(outDir, { recursive: true });
const upToDate = existsSync(js) && existsSync(dts) && existsSync(stamp) && readFileSync(stamp, 'utf8') === digest;
if (!upToDate) {
  const tmp = join(tmpdir(), `wandb-proto-${process.pid}`);
  mkdirSync(tmp, { recursive: true });
  try {
    // pbts reads the JSDoc of a commented build; the shipped module has no comments.
    const commented = join(tmp, 'commented.js');
    execFileSync(process.execPath, [pbjs, ...opts, '-p', protoDir, '-o', commented, main], { stdio: 'inherit' });
    execFileSync(process.execPath, [pbts, '--no-comments', '-o', dts, commented], { stdio: 'inherit' });
    execFileSync(process.execPath, [pbjs, ...opts, '--no-comments', '-p', protoDir, '-o', js, main], { stdio: 'inherit' });
    writeFileSync(stamp, digest);
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}
// tsc does not copy .js sources: the compiled modules import the generated one from dist.
mkdirSync(distDir, { recursive: true });
copyFileSync(js, join(distDir, 'wandb-proto.js'));
copyFileSync(dts, join(distDir, 'wandb-proto.d.ts'));
