// Scale data for benchmarks and the statistics: N dossiers over the past three years, spread over the
// catalogue's procedures (by popularity) and their units, on every channel, at every stage. Each
// has a consistent action log (replayed through the rule table, so its stored state is the log's),
// a code from its unit's daily counter ({identifier}-{YYMMDD}-{NNNN}; units without an electronic
// agency identifier issue no codes, so they get no dossiers), and due times from the working calendar. Synthetic
// dossiers carry no audit entries: they never happened.
import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import type { Db } from '../db/connection.ts';
import type { DossierActionTable, DossierTable } from '../db/schema.ts';
import { dayException, dueAt, isWorkingDay, type Calendar } from '../domain/calendar.ts';
import { dossierCode, isAgencyIdentifier } from '../domain/dossier-code.ts';
import { replay, statuses, type Action, type Actor, type Status } from '../domain/dossier-status.ts';
import { vietnamDay } from '../domain/time.ts';
import { mulberry32 } from './synthetic.ts';
import { rebuildStatusCounts } from '../modules/dossiers/dossiers.queries.ts';
import { rebuildStats } from '../modules/stats/stats.service.ts';

type Procedure = { id: string; processingHours: number; unitIds: string[]; popularity: number; version: number };
type Unit = { id: string; identifier: string | null };

export type SyntheticDossierOptions = {
  now: Date;
  calendar: Calendar;
  procedures: Procedure[];
  units: Map<string, Unit>;
  /** How many days back the intake dates reach (three years by default). */
  days?: number;
  seed?: number;
  progress?: (done: number, of: number) => void;
  /** On SQLite a bulk load runs with a large page cache and without waiting for the disk at each commit. */
  dialect?: 'sqlite' | 'postgres';
};

/** Where a dossier's story stops, by how long ago it arrived: old ones are mostly settled. */
type Path = Array<[Action, Actor]>;
const paths: Record<string, Path> = {
  submitted: [['create', 'citizen'], ['submit', 'citizen']],
  accepted: [['create', 'citizen'], ['submit', 'citizen'], ['accept', 'reception']],
  in_process: [['create', 'citizen'], ['submit', 'citizen'], ['accept', 'reception'], ['transfer', 'reception'], ['forward', 'specialist']],
  supplement: [['create', 'citizen'], ['submit', 'citizen'], ['accept', 'reception'], ['transfer', 'reception'], ['request_supplement', 'specialist']],
  resolved: [['create', 'citizen'], ['submit', 'citizen'], ['accept', 'reception'], ['transfer', 'reception'], ['forward', 'specialist'], ['attach_result', 'approver'], ['resolve', 'approver']],
  returned: [['create', 'citizen'], ['submit', 'citizen'], ['accept', 'reception'], ['transfer', 'reception'], ['forward', 'specialist'], ['attach_result', 'approver'], ['resolve', 'approver'], ['return_result', 'reception']],
  refused: [['create', 'citizen'], ['submit', 'citizen'], ['refuse', 'reception']],
  withdrawn: [['create', 'citizen'], ['submit', 'citizen'], ['accept', 'reception'], ['withdraw', 'citizen'], ['confirm_withdrawal', 'reception']],
};

const channels: Array<[string, number]> = [['counter', 0.55], ['online', 0.3], ['national_portal', 0.1], ['postal', 0.05]];

export async function seedSyntheticDossiers(db: Db, total: number, opts: SyntheticDossierOptions): Promise<{ created: number }> {
  const random = mulberry32(opts.seed ?? 2017);
  const weighted = (pairs: Array<[string, number]>) => {
    let r = random();
    for (const [v, w] of pairs) if ((r -= w) < 0) return v;
    return pairs[pairs.length - 1]![0];
  };
  // Only units with an identifier issue codes.
  const coding = (id: string) => isAgencyIdentifier(opts.units.get(id)?.identifier);
  // Popular procedures get more dossiers: weight = popularity + 1.
  const usable = opts.procedures.filter((p) => p.unitIds.some(coding));
  const cumulative: number[] = [];
  let sum = 0;
  for (const p of usable) cumulative.push((sum += p.popularity + 1));
  const pickProcedure = () => {
    const r = random() * sum;
    let lo = 0;
    let hi = cumulative.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (cumulative[mid]! < r) lo = mid + 1;
      else hi = mid;
    }
    return usable[lo]!;
  };
  // Intake follows the working calendar: a working day takes a full share, a Saturday or Sunday a
  // twentieth (online filings, Saturday-morning desks), a day off such as Tết a fiftieth.
  const days: Array<{ start: number; weight: number }> = [];
  const first = opts.now.getTime() - (opts.days ?? 3 * 365) * 86400_000;
  let totalWeight = 0;
  for (let t = first; t < opts.now.getTime(); t += 86400_000) {
    const d = vietnamDay(new Date(t));
    const weekday = new Date(`${d}T00:00:00Z`).getUTCDay();
    const weight = isWorkingDay(opts.calendar, d) ? 1 : weekday === 0 || weekday === 6 ? (dayException(opts.calendar, d) ? 0.02 : 0.05) : 0.02;
    days.push({ start: Date.parse(`${d}T00:00:00+07:00`), weight: (totalWeight += weight) });
  }
  /** A moment of intake: a day by its weight, then office hours (07:00–17:00 in Vietnam). */
  const intakeMoment = () => {
    const r = random() * totalWeight;
    let lo = 0;
    let hi = days.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (days[mid]!.weight < r) lo = mid + 1;
      else hi = mid;
    }
    return new Date(Math.min(opts.now.getTime() - 60_000, days[lo]!.start + (7 + random() * 10) * 3600_000));
  };
  // Each path's statuses, replayed once.
  const replayed = new Map(Object.entries(paths).map(([k, steps]) => [k, { state: replay(steps.map(([action, actor]) => ({ action, actor }))), statuses: replayStatuses(steps) }]));
  const counters = new Map<string, number>();
  for (const c of await db.selectFrom('dossier_counters').selectAll().execute()) counters.set(`${c.unit_id}|${c.day}`, c.last);

  if (opts.dialect === 'sqlite') {
    // Synthetic data: if the machine stops mid-load, the load is simply run again.
    await sql`pragma synchronous = off`.execute(db);
    await sql`pragma cache_size = -524288`.execute(db);
  }
  const chunk = 5000;
  let created = 0;
  while (created < total) {
    const n = Math.min(chunk, total - created);
    const dossiers: DossierTable[] = [];
    const log: DossierActionTable[] = [];
    for (let i = 0; i < n; i++) {
      const p = pickProcedure();
      const unitIds = p.unitIds.filter(coding);
      const unit = opts.units.get(unitIds[Math.floor(random() * unitIds.length)]!)!;
      const submitted = intakeMoment();
      const ageDays = (opts.now.getTime() - submitted.getTime()) / 86400_000;
      const stage = ageDays < 2
        ? weighted([['submitted', 0.5], ['accepted', 0.3], ['in_process', 0.2]])
        : ageDays < 30
          ? weighted([['in_process', 0.35], ['supplement', 0.05], ['resolved', 0.15], ['returned', 0.38], ['refused', 0.04], ['withdrawn', 0.03]])
          : weighted([['returned', 0.9], ['resolved', 0.03], ['refused', 0.04], ['withdrawn', 0.02], ['in_process', 0.01]]);
      const channel = weighted(channels);
      const day = vietnamDay(submitted);
      const key = `${unit.id}|${day}`;
      const counter = (counters.get(key) ?? 0) + 1;
      counters.set(key, counter);
      const id = randomUUID();
      const steps = paths[stage]!;
      const { state, statuses: stepStatuses } = replayed.get(stage)!;
      // Times along the way: acceptance within hours; the result within (or, for about one in
      // eight, beyond) the processing time.
      const accepted = new Date(submitted.getTime() + Math.floor(random() * 4 * 3600_000));
      const due = dueAt(opts.calendar, accepted, p.processingHours / 8);
      const late = random() < 0.12;
      const resolvedAt = new Date(Math.min(opts.now.getTime(), late
        ? due.getTime() + Math.floor(random() * 5 * 86400_000)
        : accepted.getTime() + Math.floor(random() * Math.max(3600_000, due.getTime() - accepted.getTime()))));
      const returnedAt = new Date(Math.min(opts.now.getTime(), resolvedAt.getTime() + Math.floor(random() * 2 * 86400_000)));
      const wasAccepted = steps.some(([a]) => a === 'accept');
      const isResolved = steps.some(([a]) => a === 'resolve');
      const isReturned = steps.some(([a]) => a === 'return_result');
      const times: Partial<Record<Action, Date>> = {
        create: submitted, submit: submitted, accept: accepted, transfer: accepted, refuse: accepted,
        forward: new Date(accepted.getTime() + 3600_000), request_supplement: new Date(accepted.getTime() + 7200_000),
        attach_result: resolvedAt, resolve: resolvedAt, return_result: returnedAt,
        withdraw: new Date(accepted.getTime() + 3600_000), confirm_withdrawal: new Date(accepted.getTime() + 7200_000),
      };
      const code = dossierCode(unit.identifier!, day, counter);
      const stamp = submitted.toISOString();
      dossiers.push({
        id, code, tracking_key: null, procedure_id: p.id, procedure_version: p.version, unit_id: unit.id, receiving_unit_id: unit.id, supplement_due_at: null, channel,
        status: state.status, status_code: statuses[state.status], owner_id: null,
        applicant: JSON.stringify({ fullName: 'Người nộp thử nghiệm' }), form: '{}', delivery: JSON.stringify({ method: channel === 'postal' ? 'postal' : 'counter' }),
        // A placeholder name and no contact details: nothing personal to seal (`motcua keys rotate` seals it anyway).
        applicant_id_hash: null, applicant_phone_hash: null, applicant_email_hash: null,
        lang: 'vi', practice: 0, external_id: null, submitted_at: stamp,
        accepted_at: wasAccepted ? accepted.toISOString() : null, due_at: wasAccepted ? due.toISOString() : null,
        resolved_at: isResolved ? resolvedAt.toISOString() : null, returned_at: isReturned ? returnedAt.toISOString() : null,
        created_at: stamp, updated_at: (times[steps[steps.length - 1]![0]] ?? submitted).toISOString(), revision: steps.length,
        state: JSON.stringify(state), assignee_id: null, paused_at: state.status === 'supplement_requested' ? (times.request_supplement ?? submitted).toISOString() : null,
        new_due_at: null, processing_hours: wasAccepted ? p.processingHours : null, reminded_on: null,
      });
      let from: Status | null = null;
      steps.forEach(([action, actor], k) => {
        log.push({
          id: randomUUID(), dossier_id: id, seq: k + 1, at: (times[action] ?? submitted).toISOString(), action, actor_id: null,
          actor_role: actor, from_status: from, to_status: stepStatuses[k]!, note: action === 'refuse' ? 'Không thuộc thẩm quyền' : null, data: '{}',
        });
        from = stepStatuses[k]!;
      });
    }
    await db.transaction().execute(async (tx) => {
      for (let i = 0; i < dossiers.length; i += 500) await tx.insertInto('dossiers').values(dossiers.slice(i, i + 500)).execute();
      for (let i = 0; i < log.length; i += 1000) await tx.insertInto('dossier_actions').values(log.slice(i, i + 1000)).execute();
    });
    created += n;
    opts.progress?.(created, total);
  }
  // Real dossiers filed later on those days continue the counters, never repeat a code.
  const rows = [...counters].map(([k, last]) => {
    const [unit_id, day] = k.split('|') as [string, string];
    return { unit_id, day, last };
  });
  for (let i = 0; i < rows.length; i += 500) {
    await db.insertInto('dossier_counters').values(rows.slice(i, i + 500))
      .onConflict((oc) => oc.columns(['unit_id', 'day']).doUpdateSet((eb) => ({ last: eb.ref('excluded.last') })))
      .execute();
  }
  if (opts.dialect === 'sqlite') await sql`pragma synchronous = normal`.execute(db);
  await rebuildStatusCounts(db);
  // The daily statistics of all these dossiers at once, from their logs (as `motcua stats rebuild`).
  await rebuildStats(db);
  return { created };
}

/** The status after each step of a path. */
function replayStatuses(steps: Path): Status[] {
  return steps.map((_, k) => replay(steps.slice(0, k + 1).map(([action, actor]) => ({ action, actor }))).status);
}
