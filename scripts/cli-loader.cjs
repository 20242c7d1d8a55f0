#!/usr/bin/env node
'use strict';
// The `wandb-skill` executable. It compiles the bundled CLI (wandb-skill-main.cjs) with V8's code
// cache made at build time, so a one-call process skips most of the parse and compile work that
// otherwise dominates its start-up. A cache from another Node/V8 version is rejected by V8 and the
// file is simply compiled as usual.
const fs = require('node:fs');
const path = require('node:path');
const vm = require('node:vm');
const Module = require('node:module');

const file = path.join(__dirname, 'wandb-skill-main.cjs');
const cacheFile = `${file}.cache`;
let cachedData;
try {
  cachedData = fs.readFileSync(cacheFile);
} catch {
  cachedData = undefined;
}
// The file is already CommonJS's module function (scripts/bundle-cli.mjs writes it so): compiled as
// read, without the copies a shebang fix and Module.wrap would make of half a megabyte of source.
const source = fs.readFileSync(file, 'utf8');
const script = new vm.Script(source, {
  filename: file,
  cachedData,
  importModuleDynamically: vm.constants.USE_MAIN_CONTEXT_DEFAULT_LOADER,
});
if (process.env.WANDB_SKILL_WRITE_CODE_CACHE === '1') {
  // Build time only: keep what V8 compiled during a representative call.
  process.on('exit', () => fs.writeFileSync(cacheFile, script.createCachedData()));
}
const mod = new Module(file, module);
mod.filename = file;
mod.paths = Module._nodeModulePaths(__dirname);
script.runInThisContext()(mod.exports, (id) => mod.require(id), mod, file, __dirname);
