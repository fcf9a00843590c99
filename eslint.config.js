// The import direction is checked by a tool, not by memory:
//   shared/   pure TypeScript (no node, electron, DOM libraries)
//   electron/ engine, store, cli, host never import `electron`; only main.ts/preload.ts/shell/ do
//   renderer/ talks only to the contract client (no electron, node or store modules)
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

const nodeBuiltins = ['fs', 'path', 'os', 'child_process', 'http', 'https', 'net', 'crypto', 'url', 'util', 'stream', 'events', 'worker_threads'];

export default tseslint.config(
  { ignores: ['dist/**', 'release/**', 'node_modules/**', 'test-results/**', 'playwright-report/**', '**/*.cjs'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-constant-condition': ['error', { checkLoops: false }],
    },
  },
  {
    // Plain Node scripts (bin/, scripts/, the token worker).
    files: ['**/*.{js,mjs}'],
    languageOptions: { globals: { process: 'readonly', console: 'readonly', Buffer: 'readonly', URL: 'readonly', setTimeout: 'readonly', clearTimeout: 'readonly' } },
  },
  {
    files: ['shared/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: ['electron', 'better-sqlite3', 'react', 'react-dom', ...nodeBuiltins],
          patterns: [
            { group: ['node:*'], message: 'shared/ is pure TypeScript: no node modules.' },
            { group: ['**/electron/**', '**/renderer/**'], message: 'shared/ may not import from electron/ or renderer/.' },
          ],
        },
      ],
    },
  },
  {
    files: ['electron/engine/**/*.ts', 'electron/store/**/*.ts', 'electron/cli/**/*.ts', 'electron/host/**/*.ts', 'electron/audit/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [{ name: 'electron', message: 'The engine runs in plain Node too: only electron/main.ts, preload.ts and shell/ import electron.' }],
          patterns: [{ group: ['**/renderer/**'], message: 'The engine does not import the UI.' }],
        },
      ],
    },
  },
  {
    files: ['renderer/**/*.{ts,tsx}'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: ['electron', 'better-sqlite3', ...nodeBuiltins],
          patterns: [
            { group: ['node:*'], message: 'The renderer has no node modules.' },
            { group: ['**/electron/**'], message: 'The renderer talks only to the contract client (shared/contract).' },
          ],
        },
      ],
    },
  },
);
