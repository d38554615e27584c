// ESLint flat config: `npm run lint` (= `eslint .`).
//
// TypeScript: `tsc` is TypeScript 7 (the native compiler, installed as the alias `@typescript/native`),
// and it does the type checking. typescript-eslint needs the JavaScript compiler API, which TypeScript 7
// does not ship, so the package name `typescript` is Microsoft's `@typescript/typescript6` compatibility
// package (its binary is `tsc6`, so `npx tsc` stays TypeScript 7). See package.json. Keep the alias name
// `@typescript/native` (Microsoft's suggestion): npm links a clashing bin from the first package in path
// order, and it sorts before `@typescript/old` (the real TypeScript 6 under the compatibility package),
// which also ships a `tsc`. typescript-estree has an optional peer of that name for TypeScript >= 7.1, so
// `npm ls` calls 7.0 "invalid" there; that is harmless (the experimental tsgo backend is not used).
// ESLint 10 needs Node >= 20.19.
//
// The rules are the recommended sets of ESLint and typescript-eslint, with two rules turned off where they
// only flag deliberate code (see below), plus the project's architecture boundaries.
// No type-aware rules: with type information a run costs about 4x the CPU (the TypeScript 6 program for
// the whole project), and what it added (no-floating-promises, no-misused-promises) flagged only node:test's
// top-level `test(...)` calls and timer callbacks that already end in `.catch`. `tsc` (strict) is the type gate.
// src/architecture.test.ts checks the same boundaries on resolved paths (and the folder-cycle rule).

import js from '@eslint/js';
import { defineConfig, globalIgnores } from 'eslint/config';
import globals from 'globals';
import tseslint from 'typescript-eslint';

// --- Architecture boundaries (no-restricted-imports works on the import string as written) ----------

/** src/domain is the pure core: only its own files and Node's built-ins. */
const domainOnly = {
  regex: '^(?!\\./|node:)',
  message: 'src/domain may import only src/domain (./...) and node: modules.',
};

/** A module's queries are its own: other modules go through that module's service. */
const otherModulesQueries = {
  regex: '^(?!\\./).*\\.queries(\\.ts)?$',
  message: "A module may import only its own *.queries.ts; use the other module's service instead.",
};

/** Only the HTTP edge of a module (routes, pages, tests) may depend on src/http and src/web. */
const httpOrWeb = {
  regex: '^(\\.\\./)+(http|web)(/|$)',
  message:
    'Only *.routes.ts, *.pages.ts, *.pages.routes.ts and tests may import src/http or src/web; keep services and queries free of HTTP.',
};

/** Files of a module that sit at the HTTP edge. */
const moduleEdgeFiles = [
  'src/modules/**/*.routes.ts',
  'src/modules/**/*.pages.ts',
  'src/modules/**/*.test.ts',
];

export default defineConfig(
  globalIgnores([
    'node_modules/',
    'data/', // reference data, SQLite files and uploads
    'tmp/',
    'coverage/',
  ]),

  js.configs.recommended,
  tseslint.configs.recommended,

  {
    languageOptions: {
      sourceType: 'module',
      globals: globals.node,
    },
    linterOptions: {
      reportUnusedDisableDirectives: 'warn',
    },
    rules: {
      // Kept (it catches dead code tsc's noUnusedLocals misses, e.g. unused parameters), tuned to the
      // codebase: `_`-prefixed names mark a parameter that must be there but is not used.
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none', ignoreRestSiblings: true },
      ],
      // Off: the code strips C0 control characters from user input on purpose (form answers, upload
      // names), and a regex that names them is exactly how that is written; the rule flags only those.
      'no-control-regex': 'off',
    },
  },

  // Migrations take `Kysely<any>`, as Kysely documents: a migration must not depend on today's schema type.
  {
    files: ['src/db/migrations/**/*.ts'],
    rules: { '@typescript-eslint/no-explicit-any': 'off' },
  },

  // Browser script served as-is (no build step).
  {
    files: ['src/web/static/**/*.js'],
    languageOptions: { sourceType: 'script', globals: globals.browser },
  },

  // --- Boundaries. A later block's no-restricted-imports replaces an earlier one's for the same file,
  // so each block lists every pattern that applies to its files.
  {
    // The domain's tests may build fixtures with anything (a real PDF from pdfkit, say); its code may not.
    files: ['src/domain/**/*.ts'],
    ignores: ['src/domain/**/*.test.ts'],
    rules: { 'no-restricted-imports': ['error', { patterns: [domainOnly] }] },
  },
  {
    files: ['src/modules/**/*.ts'],
    rules: { 'no-restricted-imports': ['error', { patterns: [otherModulesQueries, httpOrWeb] }] },
  },
  {
    files: moduleEdgeFiles, // *.pages.routes.ts is matched by *.routes.ts
    rules: { 'no-restricted-imports': ['error', { patterns: [otherModulesQueries] }] },
  },
);
