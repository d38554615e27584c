// `motcua sync status|resend`: the national sync's backlog at the terminal, and sending a dossier's
// events again (docs/national-sync.md, "Operating it").
import { AppError } from '../../errors.ts';
import type { NationalSync } from './sync.service.ts';

export const syncUsage = `  sync status                        the national sync's backlog: events waiting, the oldest, failing events, the last delivery
  sync resend CODE                   send a dossier's events to the national portal again, in order (one event of its
                                     current state when it has none, e.g. changed before the sync was turned on)`;

/** A mistake at the terminal: one line, exit 1. */
export class SyncCliError extends Error {}

function ago(ms: number): string {
  const minutes = Math.max(0, Math.floor(ms / 60_000));
  if (minutes < 60) return `${minutes} min`;
  const hours = Math.floor(minutes / 60);
  return hours < 48 ? `${hours} h ${minutes % 60} min` : `${Math.floor(hours / 24)} days ${hours % 24} h`;
}

export async function syncCommand(sync: NationalSync, args: string[], now: Date, print: (line: string) => void): Promise<void> {
  const [sub, ...rest] = args;
  switch (sub) {
    case 'status': {
      if (rest.length) throw new SyncCliError('usage: motcua sync status');
      const s = await sync.status(20);
      print(s.enabled ? `National sync: on, to ${s.target}` : 'National sync: off (NATIONAL_SYNC_URL is not set)');
      print(`Pending events: ${s.pending}${s.oldestPendingAt ? ` (oldest written ${ago(now.getTime() - Date.parse(s.oldestPendingAt))} ago, at ${s.oldestPendingAt})` : ''}`);
      print(`Failing events: ${s.failing}`);
      for (const f of s.failures) {
        print(`  ${f.code ?? f.dossierId} #${f.seq}: ${f.attempts} attempts, next at ${f.nextAttemptAt}; last error: ${f.lastError ?? ''}`);
      }
      print(`Sent events: ${s.sent}; last delivery: ${s.lastSentAt ?? 'never'}`);
      return;
    }
    case 'resend': {
      if (rest.length !== 1 || !rest[0]!.trim()) throw new SyncCliError('usage: motcua sync resend CODE');
      if (!sync.enabled) throw new SyncCliError('sync resend: the national sync is off (set NATIONAL_SYNC_URL and NATIONAL_SYNC_KEY)');
      try {
        const r = await sync.resend(rest[0]!);
        print(r.snapshot
          ? `Dossier ${rest[0]!.trim()} had no events: one event of its current state was recorded and goes out at the next round.`
          : `Dossier ${rest[0]!.trim()}: ${r.events} events put back to pending; they go out again in order at the next round.`);
      } catch (err) {
        if (err instanceof AppError && err.code === 'dossier_not_found') throw new SyncCliError(`sync resend: no dossier with the code ${rest[0]!.trim()}`);
        throw err;
      }
      return;
    }
    default:
      throw new SyncCliError('sync: the subcommands are status and resend');
  }
}
