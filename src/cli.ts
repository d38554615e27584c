// The `motcua` command line (api-v1.md, Operations).
import { auditVerifyCommand } from './modules/audit/audit.cli.ts';
import { SyncCliError, syncCommand, syncUsage } from './modules/sync/sync.cli.ts';
import { isUserAdminSubcommand, userAdminCommand, userAdminUsage } from './modules/accounts/accounts.cli.ts';
import { parseArgs } from 'node:util';
import cliProgress from 'cli-progress';
import { ConfigError, loadConfig } from './config.ts';
import { migrateToLatest } from './db/migrate.ts';
import { isDemoLoaded, seedDemo } from './seed/demo.ts';
import { seedSyntheticProcedures } from './seed/synthetic.ts';
import { seedSyntheticDossiers } from './seed/synthetic-dossiers.ts';
import { systemClock, vietnamDay } from './domain/time.ts';
import { openFromConfig, serve, servicesFromConfig } from './main.ts';
import { bumpCatalogRevision } from './modules/catalog/catalog.queries.ts';
import { AccountError } from './modules/accounts/accounts.service.ts';
import { readNewPassword } from './cli-password.ts';
import type { Services } from './services.ts';

const usage = `Usage: motcua <command>

  serve [--demo]                     start the portal (migrates first; --demo loads the demo data into an empty database)
  migrate                            apply the database migrations
  seed --demo [--reload]             load the demo data: Tiền Giang's organisation, administrative areas, the procedure catalogue
  seed --synthetic --procedures N    add synthetic procedures until the catalogue holds N (2408 is the 2017 plan's scale)
  seed --synthetic --dossiers N      add N synthetic dossiers over the past three years (or --days D), at every stage (benchmarks, statistics)
  user add --username U --name "Full Name" --role ROLE [--unit UNIT_ID] [--subtree]
                                     create an account; --unit is required for every role but citizen. The password
                                     is asked for at a terminal (twice, hidden), else read from standard input (the
                                     first line; a second line, when given, must repeat it): never on the command line
${userAdminUsage}
  files sweep [--days N]             remove drafts untouched for N days (30) and files no dossier records
  purge                              apply the retention rules now (drafts, sessions, sign-in counters, outbox, feedback contacts, sent sync events; README)
  stats rebuild                      recompute the daily statistics from the dossiers' action logs
  unit identifier UNIT_ID IDENTIFIER set a unit's electronic agency identifier (NNN.NN.NN.XNN), which its dossier codes start with
  unit missing-identifiers           list the units valid today that cannot issue dossier codes (no identifier)
  audit verify                       check the audit log's hash chain: exit 0 when intact, 1 naming the first bad entry
  keys rotate                        re-seal every dossier's personal data under DATA_KEY (old keys in PREVIOUS_DATA_KEYS), recompute look-up hashes
${syncUsage}

Environment: DATABASE_URL (postgres://…; SQLite at $DATA_DIR/motcua.db when unset), DATA_DIR, PORT, HOST, PUBLIC_URL, LOG_LEVEL.`;

class UsageError extends Error {}

/** Runs a long job with a progress bar on stderr: redrawn on a terminal, a line a second in a log. */
async function withProgress<T>(what: string, job: (tick: (done: number, of: number) => void) => Promise<T>): Promise<T> {
  const bar = new cliProgress.SingleBar(
    { format: `${what} [{bar}] {value}/{total}`, stream: process.stderr, noTTYOutput: true, notTTYSchedule: 1000 },
    cliProgress.Presets.shades_classic,
  );
  let started = false;
  try {
    return await job((done, of) => {
      if (!started) bar.start(of, 0);
      started = true;
      bar.update(done);
    });
  } finally {
    if (started) bar.stop();
  }
}

async function withDatabase<T>(work: (handle: ReturnType<typeof openFromConfig>, services: Services) => Promise<T>, opts = { migrate: true }): Promise<T> {
  const config = loadConfig();
  const handle = openFromConfig(config);
  try {
    if (opts.migrate) await migrateToLatest(handle.db);
    return await work(handle, servicesFromConfig(handle, config));
  } finally {
    await handle.close();
  }
}

function positiveInt(value: string | undefined, flag: string): number {
  if (!value || !/^\d+$/.test(value) || Number(value) < 1) throw new UsageError(`${flag} needs a positive whole number`);
  return Number(value);
}

async function run(argv: string[]): Promise<void> {
  const [command, ...rest] = argv;
  switch (command) {
    case 'serve': {
      const { values } = parseArgs({ args: rest, options: { demo: { type: 'boolean', default: false } } });
      await serve({ demo: values.demo ?? false });
      return;
    }
    case 'migrate': {
      const { applied, rebuilt } = await withDatabase(async (h, services) => {
        const done = await migrateToLatest(h.db);
        return { applied: done, rebuilt: done.length ? await services.stats.rebuildIfNeeded() : null };
      }, { migrate: false });
      console.log(applied.length ? `Applied: ${applied.join(', ')}` : 'The database is up to date.');
      if (rebuilt) console.log(`Statistics rebuilt (${rebuilt.reason}): ${rebuilt.dossiers} dossiers, ${rebuilt.rows} daily rows.`);
      return;
    }
    case 'seed': {
      const { values } = parseArgs({
        args: rest,
        options: { demo: { type: 'boolean' }, reload: { type: 'boolean' }, synthetic: { type: 'boolean' }, procedures: { type: 'string' }, dossiers: { type: 'string' }, days: { type: 'string' } },
      });
      if (!values.demo && !values.synthetic) throw new UsageError('seed needs --demo or --synthetic');
      await withDatabase(async (h, services) => {
        if (values.demo) {
          if ((await isDemoLoaded(h.db)) && !values.reload) console.log('The demo data is already loaded (use --reload to load it again).');
          else console.log('Demo data loaded:', await seedDemo(h.db, systemClock.now()));
        }
        if (values.synthetic) {
          if (!values.procedures && !values.dossiers) throw new UsageError('seed --synthetic needs --procedures N, --dossiers N, or both');
          if (!(await isDemoLoaded(h.db))) await seedDemo(h.db, systemClock.now());
          if (values.procedures) {
            const n = positiveInt(values.procedures, '--procedures');
            const result = await withProgress('procedures', (tick) => seedSyntheticProcedures(h.db, n, systemClock.now(), tick));
            await bumpCatalogRevision(h.db, systemClock.now().toISOString());
            console.log(`Synthetic procedures: ${result.created} added; the catalogue holds ${result.total}.`);
          }
          if (values.dossiers) {
            const n = positiveInt(values.dossiers, '--dossiers');
            await services.catalog.load();
            const procedures = await Promise.all(services.catalog.mostUsed(services.catalog.size).map(async (p, rank) => ({
              id: p.id, processingHours: p.processingDays * 8, unitIds: p.unitIds, version: (await services.catalog.get(p.id)).version.number,
              // The most used procedures take most dossiers, as at a real desk.
              popularity: Math.max(0, 60 - rank) * 10,
            })));
            const units = new Map(services.catalog.allUnits().map((u) => [u.id, { id: u.id, identifier: u.identifier }]));
            const calendar = await services.calendar.calendar(null);
            const result = await withProgress('dossiers', (tick) => seedSyntheticDossiers(h.db, n, { now: systemClock.now(), calendar, procedures, units, progress: tick, dialect: h.dialect, days: values.days ? positiveInt(values.days, '--days') : undefined }));
            console.log(`Synthetic dossiers: ${result.created} added.`);
          }
        }
      });
      return;
    }
    case 'user': {
      const [sub, ...args] = rest;
      if (isUserAdminSubcommand(sub)) {
        await withDatabase((_h, services) => userAdminCommand(services.accountsAdmin, sub, args, (line) => console.log(line)));
        return;
      }
      if (sub !== 'add') throw new UsageError('user: the subcommands are add, disable, enable, revoke, require-totp, totp reset');
      const { values } = parseArgs({
        args,
        options: {
          username: { type: 'string' }, password: { type: 'string' }, name: { type: 'string' }, role: { type: 'string' },
          unit: { type: 'string' }, subtree: { type: 'boolean' },
        },
      });
      if (values.password !== undefined) throw new UsageError('user add takes no --password: a password on the command line is seen by other users and kept in the shell history; type it when asked, or give it on standard input');
      for (const flag of ['username', 'name', 'role'] as const) if (!values[flag]) throw new UsageError(`user add needs --${flag}`);
      const password = await readNewPassword((message) => new UsageError(message));
      const created = await withDatabase((_h, services) =>
        services.accounts.addUser({
          username: values.username!, password, name: values.name!, role: values.role!, unitId: values.unit, subtree: values.subtree,
        }),
      );
      console.log(`Account created: ${created.username} (${created.role}${created.unitId ? ` at ${created.unitId}` : ''}), id ${created.id}`);
      return;
    }
    case 'files': {
      const [sub, ...args] = rest;
      if (sub !== 'sweep') throw new UsageError('files: the only subcommand is "sweep"');
      const { values } = parseArgs({ args, options: { days: { type: 'string' } } });
      const days = values.days ? positiveInt(values.days, '--days') : 30;
      const result = await withDatabase((_h, services) => services.drafts.sweep(days));
      console.log(`Removed ${result.drafts} abandoned drafts and ${result.files} orphan files.`);
      return;
    }
    case 'purge': {
      if (rest.length) throw new UsageError('purge takes no arguments: the retention periods come from the environment (README)');
      const r = await withDatabase((_h, services) => services.retention.purge());
      console.log(`Retention rules applied: ${r.drafts} drafts and ${r.files} orphan files removed, ${r.sessions} expired sessions and ${r.throttle} sign-in counters deleted, `
        + `${r.outboxSent} sent and ${r.outboxFailed} failed messages deleted, ${r.feedbackContacts} feedback contacts cleared, ${r.syncSent} sent national sync events deleted.`);
      return;
    }
    case 'stats': {
      const [sub] = rest;
      if (sub !== 'rebuild') throw new UsageError('stats: the only subcommand is "rebuild"');
      const result = await withDatabase((_h, services) => withProgress('dossiers', (tick) => services.stats.rebuild(tick)));
      console.log(`Statistics rebuilt from the action log: ${result.dossiers} received dossiers, ${result.rows} daily rows.`);
      return;
    }
    case 'audit': {
      const [sub] = rest;
      if (sub !== 'verify') throw new UsageError('audit: the only subcommand is "verify"');
      process.exitCode = await withDatabase((_h, services) => auditVerifyCommand(services.audit, (line) => console.log(line)));
      return;
    }
    case 'keys': {
      const [sub] = rest;
      if (sub !== 'rotate') throw new UsageError('keys: the only subcommand is "rotate"');
      const [r, s] = await withDatabase(async (_h, services) => [
        await services.dossiers.resealAll((seen, changed) => console.error(`keys rotate: ${seen} dossiers read, ${changed} re-sealed`), 500),
        await services.accounts.secondFactor.resealAll(),
      ] as const);
      console.log(`Personal data re-sealed under the current DATA_KEY: ${r.changed} of ${r.seen} dossiers changed, ${s.changed} of ${s.seen} second-factor secrets. PREVIOUS_DATA_KEYS may now be removed.`);
      return;
    }
    case 'unit': {
      const [sub, ...args] = rest;
      await withDatabase(async (h, services) => {
        if (sub === 'identifier' && args.length === 2) {
          const [unitId, identifier] = args as [string, string];
          const r = await services.units.setIdentifier(unitId, identifier.trim());
          if (r === 'unknown_unit') throw new UsageError(`no unit with id ${JSON.stringify(unitId)} (see GET /api/v1/units)`);
          if (r === 'bad_identifier') throw new UsageError(`not an agency identifier: ${JSON.stringify(identifier)} (format NNN.NN.NN.XNN, e.g. 000.00.12.H56)`);
          if (r === 'taken') throw new UsageError(`identifier ${identifier.trim()} belongs to another unit: two units sharing one would issue the same dossier codes`);
          // Every instance reloads the catalogue's unit tree at its next refresh.
          await bumpCatalogRevision(h.db, systemClock.now().toISOString());
          console.log(`Identifier set: ${unitId} → ${identifier.trim()}. Dossier codes of this unit start with it from now on.`);
          return;
        }
        if (sub === 'missing-identifiers' && !args.length) {
          const missing = await services.units.unitsWithoutIdentifier(vietnamDay(systemClock.now()));
          console.log(missing.length ? missing.map((u) => `${u.id}\t${u.name}`).join('\n') : 'Every unit valid today has an identifier.');
          return;
        }
        throw new UsageError('usage: motcua unit identifier UNIT_ID IDENTIFIER | motcua unit missing-identifiers');
      });
      return;
    }
    case 'sync': {
      await withDatabase(async (_h, services) => {
        // An event names the procedure by its catalogue code.
        await services.catalog.load();
        await syncCommand(services.sync, rest, systemClock.now(), (line) => console.log(line));
      });
      return;
    }
    case undefined:
    case 'help':
    case '--help':
      console.log(usage);
      return;
    default:
      throw new UsageError(`unknown command "${command}"`);
  }
}

run(process.argv.slice(2)).catch((err: unknown) => {
  if (err instanceof ConfigError) console.error(`motcua: configuration error: ${err.message}`);
  else if (err instanceof UsageError || err instanceof AccountError || err instanceof SyncCliError) console.error(`motcua: ${err.message}\n\n${err instanceof UsageError ? usage : ''}`.trimEnd());
  else if (err instanceof Error && 'code' in err && typeof err.code === 'string' && err.code.startsWith('ERR_PARSE_ARGS')) console.error(`motcua: ${err.message}\n\n${usage}`);
  else console.error('motcua:', err instanceof Error ? err.message : err);
  process.exitCode = 1;
});
