// A server for the benchmark, in its own process: `hello` is the bare Fastify baseline, `portal`
// is Một Cửa on an existing database (`portal <file> plain`: personal data not sealed, to measure
// what encryption at rest costs; `portal <file> aes sync`: with the national sync on). Prints "ready <port>" once listening.
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import Fastify from 'fastify';
import { LocalDiskStorage } from '../src/modules/files/files.storage.ts';
import { openDatabase } from '../src/db/connection.ts';
import { systemClock } from '../src/domain/time.ts';
import { buildApp } from '../src/app.ts';
import { createServices, defaultSettings } from '../src/services.ts';
import { SyncStandIn } from '../src/modules/sync/sync.standin.ts';
import { SyncWorker } from '../src/modules/sync/sync.worker.ts';
import { defaultSyncTimeoutMs } from '../src/modules/sync/sync.service.ts';
import { PlainSealer } from '../src/domain/sealed.ts';

const [kind, sqliteFile] = process.argv.slice(2);

if (kind === 'hello') {
  // With a size, the hello-world answers that many bytes of JSON: the cost of the bytes alone.
  const size = Number(process.argv[3] ?? 0);
  const sized = Buffer.from(JSON.stringify({ hello: 'x'.repeat(Math.max(0, size - 12)) }));
  const app = Fastify();
  app.get('/hello', async (_req, reply) => (size ? reply.type('application/json').send(sized) : { hello: 'world' }));
  await app.listen({ port: 0, host: '127.0.0.1' });
  console.log(`ready ${(app.server.address() as { port: number }).port}`);
} else {
  const handle = openDatabase({ databaseUrl: process.env.DATABASE_URL ?? null, sqliteFile: sqliteFile! });
  const storage = new LocalDiskStorage(path.join(path.dirname(sqliteFile!), 'files'));
  // `portal <file> aes sync`: every change also reported to the national portal, here an in-process
  // stand-in receiver, with the worker delivering as in production.
  const standIn = process.argv[5] === 'sync' ? await SyncStandIn.start({ key: randomBytes(24).toString('base64url'), keep: 10 }) : null;
  const nationalSync = standIn ? { url: standIn.url, key: standIn.key, timeoutMs: defaultSyncTimeoutMs } : null;
  const services = createServices(handle, systemClock, { storage, uploads: { maxFileBytes: 20 << 20, maxDossierBytes: 60 << 20 }, publicUrl: 'http://localhost', keys: { data: randomBytes(32), audit: randomBytes(32), previousData: [] }, sealer: process.argv[4] === 'plain' ? new PlainSealer() : undefined, settings: { ...defaultSettings, nationalSync }, syncStandIn: standIn ?? undefined });
  if (nationalSync) new SyncWorker({ db: handle.db, clock: systemClock, settings: nationalSync }).start(1000);
  await services.catalog.load();
  const app = await buildApp({ services, logger: false, publicUrl: 'http://localhost' });
  await app.listen({ port: 0, host: '127.0.0.1' });
  console.log(`ready ${(app.server.address() as { port: number }).port} ${services.catalog.size}`);
}

// Exit normally on a signal, so `node --cpu-prof` can write its profile.
for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => process.exit(0));
