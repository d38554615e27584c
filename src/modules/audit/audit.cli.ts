// `motcua audit verify` (api-v1.md, Operations): one line saying whether the audit chain is
// intact, and an exit code for scripts and monitoring.
import type { AuditService } from './audit.service.ts';

/** Prints the verdict and returns the exit code: 0 when intact, 1 naming the first bad entry. */
export async function auditVerifyCommand(audit: AuditService, out: (line: string) => void): Promise<number> {
  const result = await audit.verify();
  if (result.ok) {
    // The head hash is printed so it can be kept elsewhere: a forger who rewrites the whole chain
    // and its head cannot also change a copy they do not hold.
    out(`audit chain intact: ${result.count} ${result.count === 1 ? 'entry' : 'entries'}, head ${result.headHash}`);
    return 0;
  }
  out(`audit chain broken at entry ${result.seq}: ${result.reason} (${result.message})`);
  return 1;
}
