// Recognising a unique-constraint violation on either dialect, so a writer that lost a race to an
// identical concurrent write can answer with the winner's row instead of failing.

/** PostgreSQL's unique_violation (23505), or SQLite's UNIQUE / PRIMARY KEY constraint failure. */
export function isUniqueViolation(err: unknown): boolean {
  const code = (err as { code?: unknown } | null)?.code;
  return code === '23505' || code === 'SQLITE_CONSTRAINT_UNIQUE' || code === 'SQLITE_CONSTRAINT_PRIMARYKEY';
}
