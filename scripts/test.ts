// Runs the whole suite with node's test runner: every *.test.ts under src/ and tests/.
// Node 20 does not expand globs itself, so the files are collected here.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { buildTestTemplate } from '../src/testing/context.ts';

function collect(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) return e.name === 'node_modules' ? [] : collect(p);
    return e.name.endsWith('.test.ts') ? [p] : [];
  });
}

const only = process.argv.slice(2);
const files = (only.length ? only : [...collect('src'), ...collect('tests')]).sort();
console.log(`motcua tests: ${files.length} files on ${process.env.DATABASE_URL ? 'PostgreSQL' : 'SQLite'}`);
// Each test file starts from a copy of one migrated and seeded database, built here once
// (src/testing/context.ts): migrating and loading the demo data in every file cost minutes a run.
const template = await buildTestTemplate();
let status: number;
try {
  const result = spawnSync(process.execPath, ['--import', 'tsx', '--test', '--test-concurrency=2', '--test-reporter=spec', ...files], {
    stdio: 'inherit',
    env: { ...process.env, LOG_LEVEL: process.env.LOG_LEVEL ?? 'silent', MOTCUA_TEST_TEMPLATE: template.value },
  });
  status = result.status ?? 1;
} finally {
  await template.drop();
}
process.exit(status);
