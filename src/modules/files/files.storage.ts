// Where uploaded files and issued results are kept: one contract, on local disk or in an S3 bucket.
// A stored file is whole or absent, never half written, and its SHA-256 is known from the upload.
import { createHash, randomUUID } from 'node:crypto';
import fs, { type Dirent } from 'node:fs';
import fsp from 'node:fs/promises';
import path from 'node:path';
import { pipeline as pipelineCallback, Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { S3Client } from '@aws-sdk/client-s3';
import { FileNotFoundError, InvalidKeyError, TooLargeError } from './files.errors.ts';

export { FileNotFoundError, InvalidKeyError, TooLargeError };

/** What the store measured while writing a file: to keep beside it and check it against later. */
export type StoredFile = { size: number; sha256: string };

export interface FileStorage {
  /** Stores the whole body under `key`, replacing what was there, or nothing at all if it fails. */
  put(key: string, body: Readable | Buffer, meta: { contentType: string }): Promise<StoredFile>;
  /** The file's bytes; throws FileNotFoundError for a missing key. */
  get(key: string): Promise<Readable>;
  /** Removes the file; a missing key is not an error. */
  delete(key: string): Promise<void>;
  exists(key: string): Promise<boolean>;
  /** Keys that start with `prefix` (plain string prefix, as S3 reads it), in no promised order. */
  list(prefix: string): AsyncIterable<string>;
}

// Keys are made by the code (`dossiers/<uuid>/<uuid>`), never from a citizen's file name, so a strict
// allow-list costs nothing. It rules out `..`, absolute paths, backslashes and NUL, and a segment may
// not start with a dot: that keeps every key apart from the local store's temporary files.
const keySegment = /^[A-Za-z0-9_-][A-Za-z0-9._-]{0,199}$/;
const maxKeyLength = 1024; // S3's own limit

export function isValidKey(key: string): boolean {
  return key.length > 0 && key.length <= maxKeyLength && key.split('/').every((s) => keySegment.test(s));
}

function checkKey(key: string): void {
  if (!isValidKey(key)) throw new InvalidKeyError(key);
}

/** A prefix is empty, a key, or a key and a slash. */
function checkPrefix(prefix: string): void {
  if (prefix !== '' && !isValidKey(prefix.endsWith('/') ? prefix.slice(0, -1) : prefix)) throw new InvalidKeyError(prefix);
}

/**
 * Passes `input` through and fails with TooLargeError as soon as more than `maxBytes` have passed.
 * The source is then destroyed, so the rest is never read: for a raw HTTP request that means the
 * connection is dropped, which is why a route should refuse a too-large Content-Length up front and
 * keep this for bodies that lie about their size or do not say it.
 */
export function limitStream(input: Readable, maxBytes: number): Readable {
  let passed = 0;
  const limiter = new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      passed += chunk.length;
      if (passed > maxBytes) callback(new TooLargeError(maxBytes));
      else callback(null, chunk);
    },
  });
  // pipeline, not pipe: an error on either side destroys the other. Whoever reads `limiter` sees it.
  pipelineCallback(input, limiter, () => {});
  return limiter;
}

/** Hashes and counts the bytes that pass, for stores that write as they read. */
function measuring() {
  const hash = createHash('sha256');
  let size = 0;
  const transform = new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      hash.update(chunk);
      size += chunk.length;
      callback(null, chunk);
    },
  });
  return { transform, result: (): StoredFile => ({ size, sha256: hash.digest('hex') }) };
}

const asStream = (body: Readable | Buffer): Readable => (Buffer.isBuffer(body) ? Readable.from([body]) : body);

const isMissing = (err: unknown) => ['ENOENT', 'ENOTDIR'].includes((err as NodeJS.ErrnoException).code ?? '');

/** Files under one directory, each key a relative path. Only for a single server or a shared volume. */
export class LocalDiskStorage implements FileStorage {
  readonly rootDir: string;

  constructor(rootDir: string) {
    this.rootDir = path.resolve(rootDir);
  }

  private pathOf(key: string): string {
    checkKey(key);
    const file = path.join(this.rootDir, ...key.split('/'));
    // The allow-list already rules escapes out; this guards the guard.
    if (!file.startsWith(this.rootDir + path.sep)) throw new InvalidKeyError(key);
    return file;
  }

  async put(key: string, body: Readable | Buffer, _meta: { contentType: string }): Promise<StoredFile> {
    // The content type is not kept on disk: the files table holds it, as it does the name.
    const target = this.pathOf(key);
    const dir = path.dirname(target);
    await fsp.mkdir(dir, { recursive: true });
    // Written beside the target, then renamed: rename within one directory is atomic, so a reader,
    // a crash or a client cut off mid-upload never leaves a half file under the key. `flush` syncs
    // the data before the rename, or a power cut could leave the new name on an empty file.
    const temp = path.join(dir, `.upload-${randomUUID()}`);
    const measure = measuring();
    try {
      await pipeline(asStream(body), measure.transform, fs.createWriteStream(temp, { flags: 'wx', flush: true }));
      await fsp.rename(temp, target);
    } catch (err) {
      await fsp.rm(temp, { force: true });
      throw err;
    }
    await syncDirectory(dir);
    return measure.result();
  }

  async get(key: string): Promise<Readable> {
    const file = this.pathOf(key);
    // Opened here, not left to the stream, so that a missing file is this call's error.
    const handle = await fsp.open(file, 'r').catch((err: unknown) => {
      throw isMissing(err) ? new FileNotFoundError(key) : err;
    });
    try {
      if (!(await handle.stat()).isFile()) throw new FileNotFoundError(key);
    } catch (err) {
      await handle.close();
      throw err;
    }
    return handle.createReadStream();
  }

  async delete(key: string): Promise<void> {
    try {
      await fsp.unlink(this.pathOf(key));
    } catch (err) {
      // EISDIR: the key names a "folder" of other keys, which holds no file of its own, as on S3.
      if (!isMissing(err) && (err as NodeJS.ErrnoException).code !== 'EISDIR') throw err;
    }
    // Empty directories are left: removing one could race with a put that has just made it.
  }

  async exists(key: string): Promise<boolean> {
    try {
      return (await fsp.stat(this.pathOf(key))).isFile();
    } catch (err) {
      if (isMissing(err)) return false;
      throw err;
    }
  }

  async *list(prefix: string): AsyncIterable<string> {
    checkPrefix(prefix);
    const dirKey = prefix.slice(0, prefix.lastIndexOf('/') + 1);
    yield* this.walk(dirKey, prefix.slice(dirKey.length));
  }

  /** Keys under the directory `dirKey` ('' or ending in '/') whose next segment starts with `start`. */
  private async *walk(dirKey: string, start: string): AsyncGenerator<string> {
    let entries: Dirent[];
    try {
      entries = await fsp.readdir(path.join(this.rootDir, ...dirKey.split('/')), { withFileTypes: true });
    } catch (err) {
      if (isMissing(err)) return;
      throw err;
    }
    for (const entry of entries) {
      if (entry.name.startsWith('.') || !entry.name.startsWith(start)) continue; // dot: an upload in progress
      if (entry.isDirectory()) yield* this.walk(`${dirKey}${entry.name}/`, '');
      else if (entry.isFile()) yield dirKey + entry.name;
    }
  }
}

/** Makes a rename durable. Best effort: some file systems cannot sync a directory. */
async function syncDirectory(dir: string): Promise<void> {
  try {
    const handle = await fsp.open(dir, 'r');
    try {
      await handle.sync();
    } finally {
      await handle.close();
    }
  } catch {
    // The file itself is synced; only the rename might be lost on a power cut, never half a file.
  }
}

export type S3StorageOptions = {
  endpoint: string;
  bucket: string;
  accessKeyId: string;
  secretAccessKey: string;
  /** MinIO and most S3-compatible stores accept any region; AWS needs the bucket's. */
  region?: string;
  /** Path-style URLs (`endpoint/bucket/key`), which self-hosted stores need. Default true. */
  forcePathStyle?: boolean;
  /** The most `put` will hold in memory; a ceiling against misuse, not the upload limit. */
  maxObjectBytes?: number;
};

type S3Sdk = typeof import('@aws-sdk/client-s3');

/**
 * Files in an S3-compatible bucket (MinIO, Ceph, a cloud provider's object storage).
 *
 * `put` reads the whole body into memory, hashing it, and only then sends one PutObject with a
 * known length. Uploads are at most 20 MB, so memory is the simpler choice over a temporary file,
 * and it buys three things: a stream that fails or is cut off never reaches the bucket at all
 * (PutObject itself is all-or-nothing); the SDK can retry a failed request, which it cannot do
 * with a stream it has half consumed; and no multipart upload is needed, with its own leftovers
 * to clean up. The cost is up to `maxObjectBytes` of memory per upload in flight.
 */
export class S3Storage implements FileStorage {
  private readonly maxObjectBytes: number;
  private connection: Promise<{ sdk: S3Sdk; client: S3Client }> | undefined;

  constructor(private readonly options: S3StorageOptions) {
    this.maxObjectBytes = options.maxObjectBytes ?? 32 * 1024 * 1024;
  }

  // The SDK takes about 0.2 s to load: only a server that uses S3 should pay for it.
  private connect(): Promise<{ sdk: S3Sdk; client: S3Client }> {
    this.connection ??= import('@aws-sdk/client-s3').then((sdk) => {
      const o = this.options;
      const client = new sdk.S3Client({
        endpoint: o.endpoint,
        region: o.region ?? 'us-east-1',
        forcePathStyle: o.forcePathStyle ?? true,
        credentials: { accessKeyId: o.accessKeyId, secretAccessKey: o.secretAccessKey },
        // Since early 2025 the SDK adds a CRC32 checksum to every upload, which several S3-compatible
        // stores reject (XAmzContentSHA256Mismatch). We check integrity with our own SHA-256.
        requestChecksumCalculation: 'WHEN_REQUIRED',
        responseChecksumValidation: 'WHEN_REQUIRED',
        // Without timeouts an unreachable store would hold a citizen's upload open for ever.
        requestHandler: { connectionTimeout: 5_000, requestTimeout: 60_000 },
      });
      return { sdk, client };
    });
    return this.connection;
  }

  async put(key: string, body: Readable | Buffer, meta: { contentType: string }): Promise<StoredFile> {
    checkKey(key);
    const data = Buffer.isBuffer(body) ? body : await readAll(body, this.maxObjectBytes);
    if (data.length > this.maxObjectBytes) throw new TooLargeError(this.maxObjectBytes);
    const sha256 = createHash('sha256').update(data).digest('hex');
    const { sdk, client } = await this.connect();
    await client.send(
      new sdk.PutObjectCommand({
        Bucket: this.options.bucket,
        Key: key,
        Body: data,
        ContentLength: data.length,
        ContentType: meta.contentType,
        Metadata: { sha256 },
      }),
    );
    return { size: data.length, sha256 };
  }

  async get(key: string): Promise<Readable> {
    checkKey(key);
    const { sdk, client } = await this.connect();
    try {
      const out = await client.send(new sdk.GetObjectCommand({ Bucket: this.options.bucket, Key: key }));
      if (!(out.Body instanceof Readable)) throw new Error(`S3 returned no readable body for ${key}`);
      return out.Body;
    } catch (err) {
      // Only NoSuchKey: a missing bucket (also a 404) is a misconfiguration and must not look like a missing file.
      if ((err as Error).name === 'NoSuchKey') throw new FileNotFoundError(key);
      throw err;
    }
  }

  async delete(key: string): Promise<void> {
    checkKey(key);
    const { sdk, client } = await this.connect();
    await client.send(new sdk.DeleteObjectCommand({ Bucket: this.options.bucket, Key: key })); // S3 deletes are idempotent
  }

  async exists(key: string): Promise<boolean> {
    checkKey(key);
    const { sdk, client } = await this.connect();
    try {
      await client.send(new sdk.HeadObjectCommand({ Bucket: this.options.bucket, Key: key }));
      return true;
    } catch (err) {
      // A HEAD answer has no body, so a missing bucket reads as NotFound here too; `get` tells them apart.
      if ((err as Error).name === 'NotFound' || (err as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode === 404) return false;
      throw err;
    }
  }

  async *list(prefix: string): AsyncIterable<string> {
    checkPrefix(prefix);
    const { sdk, client } = await this.connect();
    for await (const page of sdk.paginateListObjectsV2({ client }, { Bucket: this.options.bucket, Prefix: prefix })) {
      for (const object of page.Contents ?? []) if (object.Key !== undefined) yield object.Key;
    }
  }

  /** Closes the client's pooled connections, at shutdown. */
  async close(): Promise<void> {
    if (this.connection) (await this.connection).client.destroy();
    this.connection = undefined;
  }
}

/** The whole stream in memory, refusing it as soon as it passes `maxBytes`. */
async function readAll(input: Readable, maxBytes: number): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  // Leaving the loop early (too large) destroys the input; an input error is thrown here.
  for await (const chunk of input) {
    const bytes = Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk as string);
    size += bytes.length;
    if (size > maxBytes) throw new TooLargeError(maxBytes);
    chunks.push(bytes);
  }
  return Buffer.concat(chunks, size);
}

export type StorageConfig = {
  dataDir: string;
  s3?: { endpoint: string; bucket: string; accessKey: string; secretKey: string; region?: string };
};

/** S3 when it is configured (several instances share one bucket), else `<dataDir>/files`. */
export function createStorage(config: StorageConfig): FileStorage {
  if (config.s3) {
    const { endpoint, bucket, accessKey, secretKey, region } = config.s3;
    return new S3Storage({ endpoint, bucket, accessKeyId: accessKey, secretAccessKey: secretKey, region, forcePathStyle: true });
  }
  return new LocalDiskStorage(path.join(config.dataDir, 'files'));
}
