// `npm run bench`: the search API over the 2,408-procedure catalogue of the 2017 plan, against a
// bare Fastify hello-world started in the same run, under the same load. Figures are ratios
// within one run (the load generator shares this machine's cores), never timed assertions.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';

const root = fileURLToPath(new URL('..', import.meta.url));
const seconds = Number(process.env.BENCH_SECONDS ?? 10);
const connections = Number(process.env.BENCH_CONNECTIONS ?? 50);

/** Ten typical searches, typed without tone marks as on a phone. */
export const queries = [
  'dang ky khai sinh', 'doi bang lai xe', 'ly lich tu phap', 'dang ky ket hon', 'chung thuc ban sao',
  'thanh lap cong ty', 'giay phep xay dung', 'lam so do', 'ho chieu', 'dang ky kinh doanh',
];

function startServer(args: string[]): Promise<{ child: ChildProcess; port: number; info: string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(root, 'bench/server.ts'), ...args], { stdio: ['ignore', 'pipe', 'inherit'] });
  return new Promise((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (c) => {
      out += c;
      const m = /ready (\d+)(.*)/.exec(out);
      if (m) resolve({ child, port: Number(m[1]), info: m[2]!.trim() });
    });
    child.on('exit', (code) => reject(new Error(`bench server exited with ${code}`)));
  });
}

async function load(url: string, paths: string[]): Promise<autocannon.Result> {
  // A short warm-up, then the measured run.
  await autocannon({ url, connections, duration: 2, requests: paths.map((p) => ({ path: p })) });
  return autocannon({ url, connections, duration: seconds, requests: paths.map((p) => ({ path: p })) });
}

function summary(r: autocannon.Result) {
  return {
    reqPerSec: Math.round(r.requests.average),
    p50Ms: r.latency.p50,
    p99Ms: r.latency.p99,
    bytesPerAnswer: Math.round(r.throughput.average / Math.max(1, r.requests.average)),
    errors: r.errors + r.non2xx,
  };
}

async function main() {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'motcua-bench-'));
  // The benchmark measures the default deployment: embedded SQLite.
  const { DATABASE_URL: _unused, ...inherited } = process.env;
  const env = { ...inherited, DATA_DIR: dataDir, LOG_LEVEL: 'warn' };
  console.log(`Seeding the demo data and a synthetic catalogue of 2,408 procedures in ${dataDir} …`);
  const seed = spawnSync(process.execPath, [path.join(root, 'bin/motcua.js'), 'seed', '--synthetic', '--procedures', '2408'], { env, stdio: 'inherit' });
  if (seed.status !== 0) throw new Error('seeding failed');

  const results: Record<string, ReturnType<typeof summary>> = {};
  const hello = await startServer(['hello']);
  results.hello = summary(await load(`http://127.0.0.1:${hello.port}`, ['/hello']));
  hello.child.kill();

  const portal = await startServer(['portal', path.join(dataDir, 'motcua.db')]);
  console.log(`Portal serving ${portal.info} procedures.`);
  results.search = summary(await load(`http://127.0.0.1:${portal.port}`, queries.map((q) => `/api/v1/procedures?q=${encodeURIComponent(q)}`)));
  portal.child.kill();

  // The same bare server answering as many bytes as the search did: what the bytes alone cost.
  const sized = await startServer(['hello', String(results.search!.bytesPerAnswer)]);
  results['hello, same bytes'] = summary(await load(`http://127.0.0.1:${sized.port}`, ['/hello']));
  sized.child.kill();

  const ratio = results.search!.reqPerSec / results.hello!.reqPerSec;
  console.log(`\n${connections} connections, ${seconds} s each, on ${os.cpus().length} cores (${os.cpus()[0]?.model ?? 'cpu'})`);
  console.table(results);
  console.log(`search / hello-world throughput ratio: ${ratio.toFixed(2)} (goal ≥ 0.40)`);
  console.log(`search p99 latency: ${results.search!.p99Ms} ms (goal ≤ 20 ms)`);
  console.log(`search / hello-world with the same answer size: ${(results.search!.reqPerSec / results['hello, same bytes']!.reqPerSec).toFixed(2)}`);
  fs.rmSync(dataDir, { recursive: true, force: true });
}

await main();
