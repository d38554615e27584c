// Reads the vendored reference data under data/reference/, failing with the file's name.
import fs from 'node:fs';
import { fileURLToPath } from 'node:url';

export const referenceDir = fileURLToPath(new URL('../../../data/reference/', import.meta.url));

export function readReference<T>(relativePath: string): T {
  const file = referenceDir + relativePath;
  try {
    return JSON.parse(fs.readFileSync(file, 'utf8')) as T;
  } catch (err) {
    throw new Error(`reference data ${relativePath}: ${(err as Error).message}`);
  }
}

export function referenceExists(relativePath: string): boolean {
  return fs.existsSync(referenceDir + relativePath);
}

/** Inserts rows in chunks small enough for PostgreSQL's parameter limit. */
export async function insertInChunks<R>(rows: R[], size: number, insert: (chunk: R[]) => Promise<unknown>): Promise<void> {
  for (let i = 0; i < rows.length; i += size) await insert(rows.slice(i, i + size));
}
