// Reads the vendored reference data under data/reference/ (each set with its licence beside it),
// failing with the file's name. Seeds load it into the database; a few features read it at run time.
import fs from 'node:fs';
import { fileURLToPath } from 'node:url';

export const referenceDir = fileURLToPath(new URL('../data/reference/', import.meta.url));

export function readReference<T>(relativePath: string): T {
  const file = referenceDir + relativePath;
  try {
    return JSON.parse(fs.readFileSync(file, 'utf8')) as T;
  } catch (err) {
    throw new Error(`reference data ${relativePath}: ${(err as Error).message}`, { cause: err });
  }
}

export function referenceExists(relativePath: string): boolean {
  return fs.existsSync(referenceDir + relativePath);
}
