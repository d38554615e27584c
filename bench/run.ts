// `npm run bench`: the search API over the 2,408-procedure catalogue of the 2017 plan, submission,
// and the office queue over 100,000 dossiers, each against a bare Fastify hello-world started in
// the same run, under the same load. Figures are ratios within one run (the load generator shares
// this machine's cores), never timed assertions.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';
import { signBench } from './sign.ts';

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

/** One dossier as a citizen files it: create, attach a 200 KB scan, submit. */
const submissionProcedure = 'kiem-dich-dong-vat-van-chuyen-ngoai-tinh';
const scan = Buffer.concat([Buffer.from('%PDF-1.4\n'), Buffer.alloc(200 * 1024 - 9, 0x20)]);

async function fileOne(base: string, auth: string): Promise<void> {
  const json = { authorization: auth, 'content-type': 'application/json' };
  const created = await fetch(`${base}/api/v1/dossiers`, {
    method: 'POST', headers: json,
    body: JSON.stringify({
      procedureId: submissionProcedure,
      applicant: { kind: 'person', fullName: 'Nguyễn Văn Bình', birthDate: '1980-05-01', idNumber: '082180000123', phone: '0912345678', address: { line: 'Ấp 3', areaCode: '28249' } },
      form: { request_details: 'Kiểm dịch 200 con heo thịt vận chuyển đi TP. Hồ Chí Minh' },
      delivery: { method: 'online' },
    }),
  });
  if (created.status !== 201) throw new Error(`create: ${created.status} ${await created.text()}`);
  const { id } = (await created.json()) as { id: string };
  const form = new FormData();
  form.set('document', 'giay-dang-ky-kiem-dich-dong');
  form.set('file', new Blob([scan], { type: 'application/pdf' }), 'giay-dang-ky.pdf');
  const attached = await fetch(`${base}/api/v1/dossiers/${id}/attachments`, { method: 'POST', headers: { authorization: auth }, body: form });
  if (attached.status !== 201) throw new Error(`attach: ${attached.status} ${await attached.text()}`);
  const submitted = await fetch(`${base}/api/v1/dossiers/${id}/submit`, { method: 'POST', headers: { authorization: auth } });
  if (submitted.status !== 200) throw new Error(`submit: ${submitted.status} ${await submitted.text()}`);
}

async function submissions(base: string, auth: string, concurrency: number, ms: number) {
  const latencies: number[] = [];
  let errors = 0;
  let firstError = '';
  const end = Date.now() + ms;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (Date.now() < end) {
        const t = performance.now();
        try {
          await fileOne(base, auth);
          latencies.push(performance.now() - t);
        } catch (err) {
          errors++;
          firstError ||= String(err);
        }
      }
    }),
  );
  latencies.sort((a, b) => a - b);
  const pct = (p: number) => Math.round(latencies[Math.min(latencies.length - 1, Math.floor(latencies.length * p))] ?? 0);
  return { dossiersPerSec: Math.round((latencies.length / ms) * 1000), p50Ms: pct(0.5), p99Ms: pct(0.99), errors, firstError };
}

async function submissionBench(hello: ReturnType<typeof summary>) {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'motcua-bench-submit-'));
  const cli = cliIn(dataDir);
  cli(['seed', '--demo']);
  cli(['user', 'add', '--username', '0912000111', '--name', 'Người dùng thử tải', '--role', 'citizen'], 'mat-khau-dai\n');
  // The same load twice on one database: personal data not sealed (a pass-through sealer), then
  // sealed at rest (AES-256-GCM, as deployed); the ratio is what encryption costs.
  const runs: Record<string, Awaited<ReturnType<typeof submissions>>> = {};
  // A third run adds the national sync (every change queued in its transaction and delivered to a
  // stand-in receiver): the ratio to the second is what reporting to the national portal costs.
  for (const [name, sealing, sync] of [['encryption off', 'plain', ''], ['encryption on', 'aes', ''], ['encryption on + national sync', 'aes', 'sync']] as const) {
    const portal = await startServer(['portal', path.join(dataDir, 'motcua.db'), sealing, ...(sync ? [sync] : [])]);
    const base = `http://127.0.0.1:${portal.port}`;
    const auth = await signIn(base, '0912000111');
    await submissions(base, auth, 8, 2000);
    runs[name] = await submissions(base, auth, Number(process.env.BENCH_SUBMIT_CONCURRENCY ?? 16), seconds * 1000);
    portal.child.kill();
  }
  fs.rmSync(dataDir, { recursive: true, force: true });
  const off = runs['encryption off']!;
  const result = runs['encryption on']!;
  console.log(`\nSubmission with personal data sealed at rest vs not, same load, same run:`);
  console.table(Object.fromEntries(Object.entries(runs).map(([k, r]) => [k, { dossiersPerSec: r.dossiersPerSec, p50Ms: r.p50Ms, p99Ms: r.p99Ms, errors: r.errors }])));
  console.log(`encryption on / off dossiers/s: ${(result.dossiersPerSec / Math.max(1, off.dossiersPerSec)).toFixed(2)}`);
  const synced = runs['encryption on + national sync']!;
  console.log(`national sync on / off dossiers/s (both encrypted): ${(synced.dossiersPerSec / Math.max(1, result.dossiersPerSec)).toFixed(2)}`);
  console.log(`\nSubmission (create + one 200 KB attachment + submit), SQLite, ${process.env.BENCH_SUBMIT_CONCURRENCY ?? 16} citizens at once, ${seconds} s:`);
  console.table({ submission: { dossiersPerSec: result.dossiersPerSec, requestsPerSec: result.dossiersPerSec * 3, p50Ms: result.p50Ms, p99Ms: result.p99Ms, errors: result.errors } });
  if (result.firstError) console.log(`first error: ${result.firstError}`);
  console.log(`dossiers/s: ${result.dossiersPerSec} (goal ≥ 300); their requests / hello-world requests: ${((result.dossiersPerSec * 3) / hello.reqPerSec).toFixed(2)}`);
}

/** The motcua command on a bench data directory. */
function cliIn(dataDir: string) {
  const { DATABASE_URL: _unused, ...inherited } = process.env;
  const env = { ...inherited, DATA_DIR: dataDir, LOG_LEVEL: 'warn' };
  // `input` is standard input: user add reads the password there, never from the command line.
  return (args: string[], input = '') => {
    const r = spawnSync(process.execPath, [path.join(root, 'bin/motcua.js'), ...args], { env, encoding: 'utf8', input });
    if (r.status !== 0) throw new Error(`motcua ${args.join(' ')}: ${r.stderr}`);
    return r.stdout;
  };
}

async function signIn(base: string, username: string): Promise<string> {
  const login = await fetch(`${base}/api/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username, password: 'mat-khau-dai' }) });
  if (login.status !== 200) throw new Error(`login ${username}: ${login.status}`);
  return `Bearer ${((await login.json()) as { token: string }).token}`;
}

/** A temporary database with the demo data and N synthetic dossiers; answers its folder, the CLI on it, and the seconds the seed took. */
function seededWorld(kind: string, dossiers: number) {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), `motcua-bench-${kind}-`));
  const cli = cliIn(dataDir);
  const started = performance.now();
  cli(['seed', '--demo']);
  cli(['seed', '--synthetic', '--dossiers', String(dossiers)]);
  return { dataDir, cli, seeded: Math.round((performance.now() - started) / 1000) };
}

/** One person at a time, then a busy office: ten requests at once. */
const levels = [1, 10];

function loadAt(url: string, paths: string[], connections: number, auth?: string) {
  return autocannon({ url, connections, duration: seconds, headers: auth ? { authorization: auth } : {}, requests: paths.map((p) => ({ path: p })) });
}

/** The hello-world baseline at each concurrency, to divide by. */
async function helloAtLevels(results: Record<string, ReturnType<typeof summary>>) {
  const hello = await startServer(['hello']);
  for (const c of levels) results[`hello-world ×${c}`] = summary(await loadAt(`http://127.0.0.1:${hello.port}`, ['/hello'], c));
  hello.child.kill();
}

function report(title: string, results: Record<string, ReturnType<typeof summary>>, goalMs: number) {
  console.log(title);
  console.table(results);
  for (const [name, r] of Object.entries(results)) {
    const c = name.split('×')[1]!;
    if (!name.startsWith('hello')) console.log(`${name}: p99 ${r.p99Ms} ms (goal ≤ ${goalMs} ms); throughput / hello-world ×${c}: ${(r.reqPerSec / results[`hello-world ×${c}`]!.reqPerSec).toFixed(3)}`);
  }
}

/**
 * The office queue with 100,000 dossiers in the caller's scope: a provincial officer (the whole
 * province, all 214 units) and a commune desk, every tab in turn, one request at a time and ten at
 * once, against a hello-world at the same concurrency.
 */
async function queueBench() {
  const dossiers = Number(process.env.BENCH_QUEUE_DOSSIERS ?? 100_000);
  const { dataDir, cli, seeded } = seededWorld('queue', dossiers);
  cli(['user', 'add', '--username', 'tinh@bench.vn', '--name', 'Cán bộ tỉnh', '--role', 'province_admin', '--unit', 'tien-giang', '--subtree'], 'mat-khau-dai\n');
  cli(['user', 'add', '--username', 'xa@bench.vn', '--name', 'Cán bộ xã', '--role', 'reception', '--unit', 'my-tho-phuong-5'], 'mat-khau-dai\n');
  const results: Record<string, ReturnType<typeof summary>> = {};
  await helloAtLevels(results);
  const portal = await startServer(['portal', path.join(dataDir, 'motcua.db')]);
  const base = `http://127.0.0.1:${portal.port}`;
  const tabs = ['open', 'intake', 'processing', 'overdue', 'due_soon', 'to_return', 'closed'].map((t) => `/api/v1/office/queue?tab=${t}`);
  for (const [who, username] of [[`province, ${dossiers} in scope`, 'tinh@bench.vn'], ['commune desk', 'xa@bench.vn']] as const) {
    const auth = await signIn(base, username);
    const page = (await fetch(`${base}/can-bo/ho-so`, { headers: { authorization: auth } })).status === 200;
    await loadAt(base, tabs, 10, auth); // warm-up
    for (const c of levels) {
      results[`queue API, ${who} ×${c}`] = summary(await loadAt(base, tabs, c, auth));
      if (page) results[`queue page, ${who} ×${c}`] = summary(await loadAt(base, ['/can-bo/ho-so', '/can-bo/ho-so?tab=overdue', '/can-bo/ho-so?tab=intake'], c, auth));
    }
  }
  portal.child.kill();
  fs.rmSync(dataDir, { recursive: true, force: true });
  report(`\nOffice queue, SQLite, ${dossiers} synthetic dossiers (seeded in ${seeded} s), every tab in turn, ${seconds} s each, ×N = requests at once:`, results, 50);
}

/**
 * The report table (GET /stats/summary) over 1,000,000 synthetic dossiers spread over three years:
 * a whole year for the whole province and for one commune, one request at a time and ten at once,
 * against a hello-world at the same concurrency.
 */
async function statsBench() {
  const dossiers = Number(process.env.BENCH_STATS_DOSSIERS ?? 1_000_000);
  const { dataDir, seeded } = seededWorld('stats', dossiers);
  const results: Record<string, ReturnType<typeof summary>> = {};
  await helloAtLevels(results);
  const portal = await startServer(['portal', path.join(dataDir, 'motcua.db')]);
  const base = `http://127.0.0.1:${portal.port}`;
  const year = new Date().getUTCFullYear() - 1;
  const cases = {
    [`province, ${year}`]: `/api/v1/stats/summary?from=${year}-01-01&to=${year}-12-31`,
    [`one commune, ${year}`]: `/api/v1/stats/summary?from=${year}-01-01&to=${year}-12-31&unitId=my-tho-phuong-5`,
    [`province, commune level, ${year}`]: `/api/v1/stats/summary?from=${year}-01-01&to=${year}-12-31&level=commune`,
  };
  for (const [name, url] of Object.entries(cases)) {
    await loadAt(base, [url], 10); // warm-up
    for (const c of levels) results[`${name} ×${c}`] = summary(await loadAt(base, [url], c));
  }
  portal.child.kill();
  fs.rmSync(dataDir, { recursive: true, force: true });
  report(`\nStatistics summary, SQLite, ${dossiers} synthetic dossiers over three years (seeded in ${seeded} s), ${seconds} s each, ×N = requests at once:`, results, 100);
}

/** `npm run bench` runs them all; `npm run bench -- search`, `-- submit`, `-- queue`, `-- stats` or `-- sign` runs one. */
async function main() {
  const only = process.argv[2];
  if (only === 'queue') return queueBench();
  if (only === 'stats') return statsBench();
  if (only === 'sign') return signBench();
  const hello = await startServer(['hello']);
  const baseline = summary(await load(`http://127.0.0.1:${hello.port}`, ['/hello']));
  hello.child.kill();
  if (!only || only === 'search') await searchBench(baseline);
  if (!only || only === 'submit') await submissionBench(baseline);
  if (!only) await queueBench();
  if (!only) await statsBench();
  if (!only) await signBench();
}

async function searchBench(hello: ReturnType<typeof summary>) {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'motcua-bench-'));
  // The benchmark measures the default deployment: embedded SQLite.
  const { DATABASE_URL: _unused, ...inherited } = process.env;
  const env = { ...inherited, DATA_DIR: dataDir, LOG_LEVEL: 'warn' };
  console.log(`Seeding the demo data and a synthetic catalogue of 2,408 procedures in ${dataDir} …`);
  const seed = spawnSync(process.execPath, [path.join(root, 'bin/motcua.js'), 'seed', '--synthetic', '--procedures', '2408'], { env, stdio: 'inherit' });
  if (seed.status !== 0) throw new Error('seeding failed');

  const results: Record<string, ReturnType<typeof summary>> = { hello };
  const portal = await startServer(['portal', path.join(dataDir, 'motcua.db')]);
  console.log(`Portal serving ${portal.info} procedures.`);
  results.search = summary(await load(`http://127.0.0.1:${portal.port}`, queries.map((q) => `/api/v1/procedures?q=${encodeURIComponent(q)}`)));
  portal.child.kill();

  // The same bare server answering as many bytes as the search did: what the bytes alone cost.
  const sized = await startServer(['hello', String(results.search!.bytesPerAnswer)]);
  results['hello, same bytes'] = summary(await load(`http://127.0.0.1:${sized.port}`, ['/hello']));
  sized.child.kill();

  const ratio = results.search!.reqPerSec / hello.reqPerSec;
  console.log(`\n${connections} connections, ${seconds} s each, on ${os.cpus().length} cores (${os.cpus()[0]?.model ?? 'cpu'})`);
  console.table(results);
  console.log(`search / hello-world throughput ratio: ${ratio.toFixed(2)} (goal ≥ 0.40)`);
  console.log(`search p99 latency: ${results.search!.p99Ms} ms (goal ≤ 20 ms)`);
  console.log(`search / hello-world with the same answer size: ${(results.search!.reqPerSec / results['hello, same bytes']!.reqPerSec).toFixed(2)}`);
  fs.rmSync(dataDir, { recursive: true, force: true });
}

await main();
