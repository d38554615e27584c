// One contract, two stores: every rule below is checked on local disk and on S3 (s3rver in-process).
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash, randomUUID } from 'node:crypto';
import { once } from 'node:events';
import fs from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import S3rver from 's3rver';
import {
  createStorage,
  FileNotFoundError,
  InvalidKeyError,
  LocalDiskStorage,
  limitStream,
  S3Storage,
  TooLargeError,
  type FileStorage,
} from './files.storage.ts';

// The SDK warns once per process that releases after January 2027 will need Node 22; not news here.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';

const KB = 1024;
const MB = 1024 * KB;
const bucket = 'motcua-test';

type Subject = {
  storage: FileStorage;
  /** Every file the store keeps under `dir`, including temporary ones: what a failure may leave. */
  filesUnder(dir: string): Promise<string[]>;
  close(): Promise<void>;
};

function makeTempDir(label: string): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), `motcua-${label}-`));
}

function allFiles(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  return fs.readdirSync(dir, { recursive: true, withFileTypes: true }).filter((e) => e.isFile()).map((e) => path.join(e.parentPath, e.name));
}

async function localDisk(): Promise<Subject> {
  const dir = makeTempDir('files');
  const root = path.join(dir, 'store');
  return {
    storage: new LocalDiskStorage(root),
    filesUnder: async (sub) => allFiles(path.join(root, sub)),
    close: async () => fs.rmSync(dir, { recursive: true, force: true }),
  };
}

async function s3(): Promise<Subject> {
  const dir = makeTempDir('s3rver');
  const server = new S3rver({ address: '127.0.0.1', port: 0, silent: true, directory: dir });
  const { port } = await server.run();
  const endpoint = `http://127.0.0.1:${port}`;
  // s3rver checks signatures against its one fixed key pair, so a badly signed request would fail.
  const credentials = { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' };
  const { S3Client, CreateBucketCommand } = await import('@aws-sdk/client-s3');
  const admin = new S3Client({ endpoint, region: 'us-east-1', forcePathStyle: true, credentials });
  await admin.send(new CreateBucketCommand({ Bucket: bucket }));
  admin.destroy();
  const storage = new S3Storage({ endpoint, bucket, ...credentials, forcePathStyle: true });
  return {
    storage,
    // A bucket has no temporary files of ours: what is there is what `list` shows.
    filesUnder: async (sub) => collect(storage.list(sub)),
    close: async () => {
      await storage.close();
      await server.close();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

async function collect<T>(items: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const item of items) out.push(item);
  return out;
}

async function readAll(stream: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

const sha256 = (data: Buffer) => createHash('sha256').update(data).digest('hex');

/** Bytes that differ chunk to chunk, so a misplaced chunk changes the hash. */
function sample(size: number): Buffer {
  const data = Buffer.alloc(size);
  for (let i = 0; i < size; i++) data[i] = (Math.imul(i, 2654435761) >>> 13) & 0xff;
  return data;
}

/** A body of `total` bytes in 64 KB chunks, made only as it is read, counting what was read. */
function lazyBody(total: number, opts: { failAfter?: number } = {}) {
  const counter = { pulled: 0 };
  async function* chunks() {
    while (counter.pulled < total) {
      if (opts.failAfter !== undefined && counter.pulled >= opts.failAfter) throw new Error('connection reset by peer');
      const size = Math.min(64 * KB, total - counter.pulled);
      counter.pulled += size;
      yield Buffer.alloc(size, 0x61);
    }
  }
  return { stream: Readable.from(chunks()), counter };
}

const subjects = [
  { name: 'local disk', make: localDisk },
  { name: 'S3 (s3rver)', make: s3 },
];

for (const { name, make } of subjects) {
  describe(`file storage on ${name}`, () => {
    let subject: Subject;
    let storage: FileStorage;
    before(async () => {
      subject = await make();
      storage = subject.storage;
    });
    after(async () => subject.close());

    /** A fresh top-level folder per test, so that tests sharing one store do not see each other. */
    const area = () => `t-${randomUUID()}`;
    const dossierKey = (top: string) => `${top}/dossiers/${randomUUID()}/${randomUUID()}`;

    test('a file read back is the same bytes, and put reports their size and SHA-256', async () => {
      const key = dossierKey(area());
      const data = sample(3 * MB + 17);
      const stored = await storage.put(key, Readable.from(chunksOf(data, 100 * KB)), { contentType: 'application/pdf' });
      assert.deepEqual(stored, { size: data.length, sha256: sha256(data) });
      assert.ok((await readAll(await storage.get(key))).equals(data));
    });

    test('a Buffer body is stored as well, and an empty file is still a file', async () => {
      const top = area();
      const data = Buffer.from('Giấy khai sinh bản sao');
      assert.deepEqual(await storage.put(`${top}/a`, data, { contentType: 'text/plain' }), { size: data.length, sha256: sha256(data) });
      assert.equal((await readAll(await storage.get(`${top}/a`))).toString(), 'Giấy khai sinh bản sao');
      const empty = await storage.put(`${top}/empty`, Buffer.alloc(0), { contentType: 'application/octet-stream' });
      assert.deepEqual(empty, { size: 0, sha256: 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855' });
      assert.equal(await storage.exists(`${top}/empty`), true);
    });

    test('a put under an existing key replaces the file whole', async () => {
      const key = dossierKey(area());
      await storage.put(key, sample(200 * KB), { contentType: 'image/png' });
      await storage.put(key, Buffer.from('short'), { contentType: 'image/png' });
      assert.equal((await readAll(await storage.get(key))).toString(), 'short');
    });

    test('get of a key never stored throws FileNotFoundError', async () => {
      await assert.rejects(storage.get(dossierKey(area())), FileNotFoundError);
    });

    test('exists tells a stored key from a missing one, and a "folder" of keys is not a file', async () => {
      const top = area();
      await storage.put(`${top}/dossiers/one/file`, Buffer.from('x'), { contentType: 'text/plain' });
      assert.equal(await storage.exists(`${top}/dossiers/one/file`), true);
      assert.equal(await storage.exists(`${top}/dossiers/one/other`), false);
      assert.equal(await storage.exists(`${top}/dossiers/one`), false);
      await assert.rejects(storage.get(`${top}/dossiers/one`), FileNotFoundError);
    });

    test('delete removes the file, and deleting it again or a key never stored is not an error', async () => {
      const key = dossierKey(area());
      await storage.put(key, Buffer.from('x'), { contentType: 'text/plain' });
      await storage.delete(key);
      assert.equal(await storage.exists(key), false);
      await assert.rejects(storage.get(key), FileNotFoundError);
      await storage.delete(key);
      await storage.delete(dossierKey(area()));
    });

    test('list yields the keys under a prefix, and only those', async () => {
      const top = area();
      const keys = [`${top}/dossiers/a/1`, `${top}/dossiers/a/2`, `${top}/dossiers/ab/3`, `${top}/dossiers/b/4`, `${top}/results/a/5`];
      for (const key of keys) await storage.put(key, Buffer.from(key), { contentType: 'text/plain' });
      const listed = async (prefix: string) => (await collect(storage.list(prefix))).sort();
      assert.deepEqual(await listed(`${top}/dossiers/a/`), [`${top}/dossiers/a/1`, `${top}/dossiers/a/2`]);
      assert.deepEqual(await listed(`${top}/dossiers/a`), [`${top}/dossiers/a/1`, `${top}/dossiers/a/2`, `${top}/dossiers/ab/3`]);
      assert.deepEqual(await listed(`${top}/dossiers/`), keys.slice(0, 4));
      assert.deepEqual(await listed(`${top}/`), keys);
      assert.deepEqual(await listed(`${top}/nothing/`), []);
      assert.ok((await listed('')).length >= keys.length);
    });

    test('while an upload is still arriving, the key shows nothing; then the whole file', async () => {
      const top = area();
      const key = dossierKey(top);
      const body = new Readable({ read() {} });
      const data = sample(300 * KB);
      body.push(data.subarray(0, 200 * KB));
      const upload = storage.put(key, body, { contentType: 'application/pdf' });
      await new Promise((r) => setTimeout(r, 50)); // let the first 200 KB reach the store
      assert.equal(await storage.exists(key), false);
      await assert.rejects(storage.get(key), FileNotFoundError);
      assert.deepEqual(await collect(storage.list(`${top}/`)), []);
      body.push(data.subarray(200 * KB));
      body.push(null);
      assert.deepEqual(await upload, { size: data.length, sha256: sha256(data) });
      assert.ok((await readAll(await storage.get(key))).equals(data));
    });

    test('a stream that fails halfway leaves nothing: no file under the key, no temporary file', async () => {
      const top = area();
      const key = dossierKey(top);
      const { stream, counter } = lazyBody(2 * MB, { failAfter: 1 * MB });
      await assert.rejects(storage.put(key, stream, { contentType: 'application/pdf' }), /connection reset by peer/);
      assert.ok(counter.pulled >= 1 * MB, 'the failure came halfway, not at once');
      assert.equal(await storage.exists(key), false);
      assert.deepEqual(await subject.filesUnder(top), []);
    });

    test('a client cut off mid-upload over HTTP leaves nothing under the key', async () => {
      const top = area();
      const key = dossierKey(top);
      const started = deferred<void>();
      const outcome = deferred<unknown>();
      const server = http.createServer((req, res) => {
        started.resolve();
        storage.put(key, req, { contentType: 'image/jpeg' }).then(
          () => outcome.resolve('stored'),
          (err: unknown) => {
            outcome.resolve(err);
            res.destroy();
          },
        );
      });
      server.listen(0, '127.0.0.1');
      await once(server, 'listening');
      const { port } = server.address() as net.AddressInfo;
      const client = net.connect(port, '127.0.0.1');
      client.write(`PUT /upload HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: ${5 * MB}\r\n\r\n`);
      client.write(sample(512 * KB));
      await started.promise;
      client.destroy(); // the phone loses its signal with 4.5 MB still to send
      const result = await outcome.promise;
      server.close();
      assert.ok(result instanceof Error, `the upload should fail, got ${String(result)}`);
      assert.equal(await storage.exists(key), false);
      assert.deepEqual(await subject.filesUnder(top), []);
    });

    test('the size limit stops a 30 MB upload early, with TooLargeError, and stores nothing', async () => {
      const top = area();
      const key = dossierKey(top);
      const { stream, counter } = lazyBody(30 * MB);
      await assert.rejects(storage.put(key, limitStream(stream, 1 * MB), { contentType: 'application/pdf' }), (err: unknown) => {
        assert.ok(err instanceof TooLargeError);
        assert.equal(err.code, 'file_too_large');
        assert.equal(err.maxBytes, 1 * MB);
        return true;
      });
      // Read-ahead buffers let a few chunks more through, but nowhere near the 30 MB sent.
      assert.ok(counter.pulled < 2 * MB, `read ${counter.pulled} bytes of a 30 MB body`);
      assert.equal(await storage.exists(key), false);
      assert.deepEqual(await subject.filesUnder(top), []);
    });

    test('a body exactly at the size limit passes the limiter whole', async () => {
      const key = dossierKey(area());
      const data = sample(1 * MB);
      const stored = await storage.put(key, limitStream(Readable.from(chunksOf(data, 64 * KB)), 1 * MB), { contentType: 'image/webp' });
      assert.deepEqual(stored, { size: data.length, sha256: sha256(data) });
    });

    test('keys that could leave the store are refused, and nothing is written', async () => {
      const bad = ['../escape', 'a/../../escape', '/etc/passwd', 'a\\..\\..\\b', 'C:\\Windows\\x', 'a\0b', '', 'a//b', 'a/', './a', 'a/./b', '.upload-1', 'a b', 'giấy'];
      for (const key of bad) {
        await assert.rejects(storage.put(key, Buffer.from('x'), { contentType: 'text/plain' }), InvalidKeyError, JSON.stringify(key));
        await assert.rejects(storage.get(key), InvalidKeyError, JSON.stringify(key));
        await assert.rejects(storage.delete(key), InvalidKeyError, JSON.stringify(key));
        await assert.rejects(storage.exists(key), InvalidKeyError, JSON.stringify(key));
      }
      for (const prefix of ['../', '/', '..', 'a/../']) await assert.rejects(collect(storage.list(prefix)), InvalidKeyError, prefix);
      if (storage instanceof LocalDiskStorage) {
        assert.deepEqual(fs.readdirSync(path.dirname(storage.rootDir)), ['store'], 'nothing beside the store');
      }
    });
  });
}

test('S3 keeps the content type and the SHA-256 with the object', async () => {
  const subject = await s3();
  try {
    const key = `dossiers/${randomUUID()}/${randomUUID()}`;
    const data = sample(10 * KB);
    await subject.storage.put(key, data, { contentType: 'image/heic' });
    const storage = subject.storage as S3Storage;
    const { HeadObjectCommand } = await import('@aws-sdk/client-s3');
    const head = await (await storage['connect']()).client.send(new HeadObjectCommand({ Bucket: bucket, Key: key }));
    assert.equal(head.ContentType, 'image/heic');
    assert.equal(head.Metadata?.sha256, sha256(data));
  } finally {
    await subject.close();
  }
});

test('createStorage uses S3 when it is configured, and <dataDir>/files on local disk otherwise', () => {
  const local = createStorage({ dataDir: '/var/lib/motcua' });
  assert.ok(local instanceof LocalDiskStorage);
  assert.equal(local.rootDir, '/var/lib/motcua/files');
  const remote = createStorage({ dataDir: '/var/lib/motcua', s3: { endpoint: 'http://127.0.0.1:9000', bucket, accessKey: 'k', secretKey: 's' } });
  assert.ok(remote instanceof S3Storage);
});

/** Promise.withResolvers, which Node 20 lacks. */
function deferred<T>() {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>((r) => (resolve = r));
  return { promise, resolve };
}

function* chunksOf(data: Buffer, size: number): Generator<Buffer> {
  for (let i = 0; i < data.length; i += size) yield data.subarray(i, i + size);
}
