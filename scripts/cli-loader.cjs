#!/usr/bin/env node
'use strict';
// The `wandb-skill` executable. It compiles the bundled CLI (wandb-skill-main.cjs, and
// wandb-skill-cold.cjs when a call needs code beyond init, log and finish: see
// scripts/bundle-cli.mjs) with V8's code cache made at build time, so a one-call process skips most
// of the parse and compile work that otherwise dominates its start-up. A cache from another Node/V8
// version is rejected by V8 and the file is simply compiled as usual.
const fs = require('node:fs');
const path = require('node:path');
const vm = require('node:vm');
const Module = require('node:module');

/** The bundled files, by the name they require each other with. */
const CHUNKS = { './wandb-skill-main.cjs': 'wandb-skill-main.cjs', './wandb-skill-cold.cjs': 'wandb-skill-cold.cjs' };
// Build time only: the files whose cache to write from this call (comma-separated names).
const writeCache = new Set((process.env.WANDB_SKILL_WRITE_CODE_CACHE ?? '').split(','));
const loaded = new Map();

/** Compiles and runs one bundled file once, with its code cache; returns its exports. */
function load(name) {
  const done = loaded.get(name);
  if (done !== undefined) return done.exports;
  const file = path.join(__dirname, name);
  const cacheFile = `${file}.cache`;
  let cachedData;
  try {
    cachedData = fs.readFileSync(cacheFile);
  } catch {
    cachedData = undefined;
  }
  // The file is already CommonJS's module function (scripts/bundle-cli.mjs writes it so): compiled
  // as read, without the copies a shebang fix and Module.wrap would make. It is ASCII, so latin1
  // reads it as utf8 would, without the decoding.
  const source = fs.readFileSync(file, 'latin1');
  const script = new vm.Script(source, {
    filename: file,
    cachedData,
    importModuleDynamically: vm.constants.USE_MAIN_CONTEXT_DEFAULT_LOADER,
  });
  if (writeCache.has(name)) {
    // Keep what V8 compiled during a representative call.
    process.on('exit', () => fs.writeFileSync(cacheFile, script.createCachedData()));
  }
  const mod = new Module(file, module);
  mod.filename = file;
  mod.paths = Module._nodeModulePaths(__dirname);
  loaded.set(name, mod);
  const req = (id) => (Object.hasOwn(CHUNKS, id) ? load(CHUNKS[id]) : mod.require(id));
  script.runInThisContext()(mod.exports, req, mod, file, __dirname);
  mod.loaded = true;
  return mod.exports;
}

load('wandb-skill-main.cjs');
