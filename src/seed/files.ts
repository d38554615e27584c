// Helpers for the seeds.

/** Inserts rows in chunks small enough for PostgreSQL's parameter limit. */
export async function insertInChunks<R>(rows: R[], size: number, insert: (chunk: R[]) => Promise<unknown>): Promise<void> {
  for (let i = 0; i < rows.length; i += size) await insert(rows.slice(i, i + size));
}
