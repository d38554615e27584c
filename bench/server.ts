// A server for the benchmark, in its own process: `hello` is the bare Fastify baseline, `portal`
// is Một Cửa on an existing database (`portal <file> plain`: personal data not sealed, to measure
// what encryption at rest costs). Prints "ready <port>" once listening.
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import Fastify from 'fastify';
import { LocalDiskStorage } from '../src/modules/files/files.storage.ts';
import { openDatabase } from '../src/db/connection.ts';
import { systemClock } from '../src/domain/time.ts';
import { buildApp } from '../src/app.ts';
import { createServices } from '../src/services.ts';
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
  const services = createServices(handle, systemClock, { storage, uploads: { maxFileBytes: 20 << 20, maxDossierBytes: 60 << 20 }, publicUrl: 'http://localhost', keys: { data: randomBytes(32), audit: randomBytes(32), previousData: [] }, sealer: process.argv[4] === 'plain' ? new PlainSealer() : undefined });
  await services.catalog.load();
  const app = await buildApp({ services, logger: false, publicUrl: 'http://localhost' });
  await app.listen({ port: 0, host: '127.0.0.1' });
  console.log(`ready ${(app.server.address() as { port: number }).port} ${services.catalog.size}`);
}

// Exit normally on a signal, so `node --cpu-prof` can write its profile.
for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => process.exit(0));
