// ESLint (flat config): typescript-eslint's recommended rules without type information (a whole-tree
// run stays a few seconds), plus the house rules of ARCHITECTURE.md that a linter can hold:
// - files stay small: at most 300 lines, counted as `wc -l` counts them (blank lines and comments
//   included), because a reader scrolls through those too; generated files are exempt;
// - no module-level mutable state in src/: no top-level `let`/`var`, no module-level Map/Set/WeakMap
//   caches. State lives in a closure made by a createX() factory. The one documented exception, the
//   process-wide default runner behind executeSkill, carries an eslint-disable comment with its reason;
// - no console.* in the library: it logs through the injected logger; only the CLI writes to the terminal.
// Formatting is Prettier's job (.prettierrc.json), so no stylistic rules here. Layering: .dependency-cruiser.cjs.
import { defineConfig } from 'eslint/config';
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import globals from 'globals';

// A cache starts empty; a lookup table (`new Set(['ECONNRESET', ...])`) is built with its entries and never
// written again, so only collections constructed empty at module level count as state.
const MUTABLE_COLLECTION = 'NewExpression[callee.name=/^(Map|Set|WeakMap|WeakSet)$/][arguments.length=0]';
const noModuleState = [
  {
    selector: "Program > VariableDeclaration[kind='let'], Program > ExportNamedDeclaration > VariableDeclaration[kind='let']",
    message: 'No module-level `let`: keep state in a closure made by a createX() factory (ARCHITECTURE.md, house style).',
  },
  {
    selector: "Program > VariableDeclaration[kind='var'], Program > ExportNamedDeclaration > VariableDeclaration[kind='var']",
    message: 'No module-level `var`: keep state in a closure made by a createX() factory (ARCHITECTURE.md, house style).',
  },
  {
    selector: `Program > VariableDeclaration > VariableDeclarator > ${MUTABLE_COLLECTION}, Program > ExportNamedDeclaration > VariableDeclaration > VariableDeclarator > ${MUTABLE_COLLECTION}`,
    message: 'No module-level Map/Set/WeakMap cache: it outlives every runner and store; keep it in the object that owns it.',
  },
];

export default defineConfig(
  {
    ignores: [
      'dist/**',
      'node_modules/**',
      'coverage/**',
      // Where a local run writes its store and W&B files (see .gitignore).
      'wandb/**',
      '.wandb-skill/**',
      'tmp/**',
      // Generated: the contract's types and validators, the env names and the sweep-config schema (scripts/gen-contract.mjs), the protobuf code (scripts/gen-proto.mjs).
      'src/**/*.generated.ts',
      'src/wandb-files/gen/**',
      'test/fixtures/**',
    ],
  },
  js.configs.recommended,
  tseslint.configs.recommended,
  {
    files: ['**/*.ts'],
    languageOptions: { globals: { ...globals.node } },
  },
  {
    files: ['**/*.{js,mjs,cjs}'],
    languageOptions: { globals: { ...globals.node } },
  },
  {
    files: ['**/*.cjs'],
    languageOptions: { sourceType: 'commonjs' },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
  {
    // The dashboard's browser code, served as is.
    files: ['src/dashboard/static/**/*.js'],
    languageOptions: { globals: { ...globals.browser }, sourceType: 'module' },
  },
  {
    rules: {
      // `_`-prefixed names are deliberately unused (a callback's position, a destructured field left out).
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none', ignoreRestSiblings: true }],
      'max-lines': ['error', { max: 300, skipBlankLines: false, skipComments: false }],
      // Wire formats (JSON text, W&B records, metric names) match control characters on purpose.
      'no-control-regex': 'off',
    },
  },
  {
    files: ['src/**/*.ts'],
    rules: {
      'no-restricted-syntax': ['error', ...noModuleState],
      'no-console': 'error',
    },
  },
  {
    // The command is the one part of src/ that writes to the terminal (its bin entry included).
    files: ['src/cli/**'],
    rules: { 'no-console': 'off' },
  },
);
