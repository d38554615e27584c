// The architecture's boundaries, checked on the imports of every .ts file under src/.
// eslint.config.js states the first three rules too (on the import string as written, in the editor);
// this test resolves the paths, also reads dynamic `import('...')`, and checks the folder-cycle rule.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const srcDir = path.dirname(fileURLToPath(import.meta.url));
const rootDir = path.dirname(srcDir);

/** One import of one file. `target` is the resolved repo-relative path for a relative import, else null. */
type Import = { file: string; line: number; specifier: string; target: string | null; typeOnly: boolean };

const toPosix = (p: string) => p.split(path.sep).join('/');
const isTest = (file: string) => file.endsWith('.test.ts');

function listTsFiles(dir: string): string[] {
  const out: string[] = [];
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) out.push(...listTsFiles(full));
    else if (entry.isFile() && entry.name.endsWith('.ts')) out.push(full);
  }
  return out.sort();
}

// Static `import ... from '...'` / `export ... from '...'` (also multi-line and `import type`), anchored at
// the start of a line so that commented-out code and JSDoc do not count; bare `import '...'`; `import('...')`.
const staticFrom = /^[ \t]*(?:import|export)\s+[\w$*{},\s]*?\bfrom\s*(['"])([^'"\n]+)\1/gm;
const sideEffect = /^[ \t]*import\s*(['"])([^'"\n]+)\1/gm;
const dynamic = /\bimport\s*\(\s*(['"])([^'"\n]+)\1\s*\)/g;

/** The import specifiers of a source text, with their 1-based line numbers. */
export function scanImports(source: string): { line: number; specifier: string }[] {
  const lineAt = (index: number) => source.slice(0, index).split('\n').length;
  const found: { index: number; specifier: string }[] = [];
  for (const re of [staticFrom, sideEffect]) {
    for (const m of source.matchAll(re)) found.push({ index: m.index, specifier: m[2]! });
  }
  for (const m of source.matchAll(dynamic)) {
    const lineStart = source.lastIndexOf('\n', m.index) + 1;
    const before = source.slice(lineStart, m.index).trimStart();
    if (before.startsWith('//') || before.startsWith('*')) continue; // in a comment
    found.push({ index: m.index, specifier: m[2]! });
  }
  return found
    .sort((a, b) => a.index - b.index)
    .map(({ index, specifier }) => ({ line: lineAt(index), specifier }));
}

function readImports(): Import[] {
  const imports: Import[] = [];
  for (const full of listTsFiles(srcDir)) {
    const file = toPosix(path.relative(rootDir, full));
    const source = fs.readFileSync(full, 'utf8');
    const lines = source.split('\n');
    for (const { line, specifier } of scanImports(source)) {
      const relative = specifier.startsWith('./') || specifier.startsWith('../');
      const target = relative ? toPosix(path.relative(rootDir, path.resolve(path.dirname(full), specifier))) : null;
      const typeOnly = /^\s*(?:import|export)\s+type\b/.test(lines[line - 1] ?? '');
      imports.push({ file, line, specifier, target, typeOnly });
    }
  }
  return imports;
}

const imports = readImports();

const show = (i: Import) => `${i.file}:${i.line} imports '${i.specifier}'`;

function failOn(violations: Import[], rule: string): void {
  if (violations.length === 0) return;
  const files = new Set(violations.map((v) => v.file)).size;
  assert.fail(
    `${violations.length} import(s) in ${files} file(s) break the rule: ${rule}\n` +
      violations.map((v) => `  ${show(v)}`).join('\n'),
  );
}

/** The module a path under src/modules belongs to (`src/modules/<name>/...`), else null. */
const moduleOf = (p: string) => /^src\/modules\/([^/]+)\//.exec(p)?.[1] ?? null;

test('the import scanner reads static, multi-line, type-only, re-export and dynamic imports, not comments', () => {
  const sample = [
    "import fs from 'node:fs';",
    "import type { A } from './a.ts';",
    'import {',
    '  b,',
    '  type C,',
    "} from '../b.ts';",
    "export * from './c.ts';",
    "export { d } from './d.ts';",
    "import './side-effect.ts';",
    "// import { gone } from './commented.ts';",
    " * import { doc } from './jsdoc.ts';",
    "type S = typeof import('./s.ts');",
    "const e = await import('./e.ts');",
    "export const f = 'from';",
  ].join('\n');
  assert.deepEqual(scanImports(sample), [
    { line: 1, specifier: 'node:fs' },
    { line: 2, specifier: './a.ts' },
    { line: 3, specifier: '../b.ts' },
    { line: 7, specifier: './c.ts' },
    { line: 8, specifier: './d.ts' },
    { line: 9, specifier: './side-effect.ts' },
    { line: 12, specifier: './s.ts' },
    { line: 13, specifier: './e.ts' },
  ]);
  assert.ok(imports.length > 100, `only ${imports.length} imports found under src/: is the scanner broken?`);
});

// The domain's own code is pure; its tests may build fixtures with anything (a real PDF from pdfkit, say).
test('src/domain imports only src/domain and node: modules', () => {
  failOn(
    imports.filter(
      (i) =>
        i.file.startsWith('src/domain/') &&
        !isTest(i.file) &&
        !i.specifier.startsWith('node:') &&
        !(i.target !== null && i.target.startsWith('src/domain/')),
    ),
    'src/domain may import only src/domain and node: modules',
  );
});

test("no module imports another module's *.queries.ts", () => {
  failOn(
    imports.filter((i) => {
      const from = moduleOf(i.file);
      if (from === null || i.target === null) return false;
      const to = moduleOf(i.target);
      return to !== null && to !== from && /\.queries(\.[cm]?[jt]s)?$/.test(i.target);
    }),
    "a file in src/modules/<a>/ may not import src/modules/<b>/*.queries.ts (b ≠ a): go through b's service",
  );
});

test('in src/modules only *.routes.ts, *.pages.ts, *.pages.routes.ts and tests import src/http or src/web', () => {
  const edge = /\.(routes|pages|pages\.routes|test)\.ts$/;
  failOn(
    imports.filter(
      (i) =>
        i.file.startsWith('src/modules/') &&
        !edge.test(i.file) &&
        i.target !== null &&
        /^src\/(http|web)(\/|$)/.test(i.target),
    ),
    'only *.routes.ts, *.pages.ts, *.pages.routes.ts and *.test.ts under src/modules may import src/http or src/web',
  );
});

/**
 * The composition root: it builds every service (services.ts) and the HTTP app (app.ts), and starts
 * them (main.ts, cli.ts), so it imports everything. Features receive what it built and may name its
 * types (`import type { Services }`), never its values; it is left out of the cycle check below.
 */
const compositionRoot = new Set(['services.ts', 'app.ts', 'main.ts', 'cli.ts']);

test('outside the composition root, code imports it for its types only', () => {
  failOn(
    imports.filter(
      (i) =>
        i.target !== null &&
        !isTest(i.file) &&
        !i.file.startsWith('src/testing/') &&
        !compositionRoot.has(unitOf(i.file) ?? '') &&
        compositionRoot.has(unitOf(i.target) ?? '') &&
        !i.typeOnly,
    ),
    'only the composition root (src/services.ts, app.ts, main.ts, cli.ts) imports its own values; others use `import type`',
  );
});

/** The top-level folder of src a path belongs to: `a` for src/a/b.ts, the file itself for src/config.ts. */
const unitOf = (p: string) => (p.startsWith('src/') ? p.slice('src/'.length).split('/')[0]! : null);

/** Strongly connected components (Tarjan) of a graph given as adjacency sets. */
function stronglyConnected(graph: Map<string, Set<string>>): string[][] {
  let counter = 0;
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const components: string[][] = [];
  const visit = (v: string) => {
    index.set(v, counter);
    low.set(v, counter);
    counter++;
    stack.push(v);
    onStack.add(v);
    for (const w of graph.get(v) ?? []) {
      if (!index.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (onStack.has(w)) {
        low.set(v, Math.min(low.get(v)!, index.get(w)!));
      }
    }
    if (low.get(v) === index.get(v)) {
      const component: string[] = [];
      let w: string;
      do {
        w = stack.pop()!;
        onStack.delete(w);
        component.push(w);
      } while (w !== v);
      components.push(component.sort());
    }
  };
  for (const v of [...graph.keys()].sort()) if (!index.has(v)) visit(v);
  return components;
}

/** The shortest path from `from` to `to` inside `allowed`, as a list of nodes, or null. */
function shortestPath(graph: Map<string, Set<string>>, from: string, to: string, allowed: Set<string>) {
  const previous = new Map<string, string | null>([[from, null]]);
  const queue = [from];
  while (queue.length) {
    const v = queue.shift()!;
    if (v === to) {
      const pathNodes = [v];
      for (let p = previous.get(v); p != null; p = previous.get(p)) pathNodes.unshift(p);
      return pathNodes;
    }
    for (const w of [...(graph.get(v) ?? [])].sort()) {
      if (allowed.has(w) && !previous.has(w)) {
        previous.set(w, v);
        queue.push(w);
      }
    }
  }
  return null;
}

test('the top-level folders of src import each other without cycles', () => {
  // Edges between top-level units, with the imports behind each; tests and src/testing do not count.
  const counted = (p: string) => !isTest(p) && !p.startsWith('src/testing/');
  const graph = new Map<string, Set<string>>();
  const evidence = new Map<string, Import[]>();
  for (const i of imports) {
    if (i.target === null || !counted(i.file) || !counted(i.target)) continue;
    const from = unitOf(i.file);
    const to = unitOf(i.target);
    if (from === null || to === null || from === to || compositionRoot.has(from) || compositionRoot.has(to)) continue;
    if (!graph.has(from)) graph.set(from, new Set());
    graph.get(from)!.add(to);
    const key = `${from} -> ${to}`;
    if (!evidence.has(key)) evidence.set(key, []);
    evidence.get(key)!.push(i);
  }

  // Every edge inside a strongly connected component lies on a cycle: print, per such edge, the shortest
  // cycle through it (each cycle once), and the imports that make up each of its steps.
  const cycles = new Map<string, string[]>();
  for (const component of stronglyConnected(graph)) {
    if (component.length < 2) continue;
    const members = new Set(component);
    for (const from of component) {
      for (const to of [...graph.get(from)!].sort()) {
        if (!members.has(to)) continue;
        const back = shortestPath(graph, to, from, members)!;
        const cycle = [from, ...back];
        // The same cycle, whatever node it starts at, is listed once (rotated to start at its least node).
        const ring = cycle.slice(0, -1);
        const start = ring.indexOf([...ring].sort()[0]!);
        const canonical = [...ring.slice(start), ...ring.slice(0, start), ring[start]!];
        cycles.set(canonical.join(' -> '), canonical);
      }
    }
  }
  if (cycles.size === 0) return;

  const groups = stronglyConnected(graph).filter((c) => c.length > 1);
  const lines: string[] = [];
  for (const group of groups) {
    const members = new Set(group);
    lines.push(`  folders on a cycle together: ${group.join(', ')}; their imports of each other:`);
    for (const from of group) {
      const steps = [...graph.get(from)!].filter((to) => members.has(to)).sort();
      lines.push(`    ${from} -> ${steps.map((to) => `${to} (${evidence.get(`${from} -> ${to}`)!.length})`).join(', ')}`);
    }
  }
  const shown = 10; // imports listed per step; the step with few imports is usually the one to cut
  for (const [name, cycle] of [...cycles].sort(([a], [b]) => a.localeCompare(b))) {
    lines.push(`  cycle: ${name}`);
    for (let k = 0; k + 1 < cycle.length; k++) {
      const step = `${cycle[k]} -> ${cycle[k + 1]}`;
      const behind = evidence.get(step)!;
      lines.push(`    ${step} (${behind.length} import(s)):`);
      for (const i of behind.slice(0, shown)) lines.push(`      ${show(i)}`);
      if (behind.length > shown) lines.push(`      ... and ${behind.length - shown} more`);
    }
  }
  assert.fail(
    `${cycles.size} import cycle(s) between top-level folders of src (tests and src/testing not counted):\n` +
      lines.join('\n'),
  );
});
