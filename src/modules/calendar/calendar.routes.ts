// The working calendar's API (api-v1.md "Working calendar"): deadlines, a year's holidays, lunar dates.
import type { FastifyPluginAsync } from 'fastify';
import { Type, type Static } from 'typebox';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { vietnamDay } from '../../domain/time.ts';
import { invalid } from '../../errors.ts';
import { Day, StringEnum, errors } from '../../http/schemas.ts';
import type { Services } from '../../services.ts';
import type { CalendarService } from './calendar.service.ts';

const Timestamp = Type.String({
  pattern: '^\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}(:\\d{2}(\\.\\d{1,9})?)?(Z|[+ -]\\d{2}:\\d{2})$',
  description: 'ISO 8601 with its offset, e.g. 2023-10-27T09:32:00+07:00 (in a URL, + is written %2B; a + decoded as a space is read as +)',
});

export const DueQuery = Type.Object({
  from: Timestamp,
  days: Type.Number({
    minimum: 0, maximum: 365,
    description: "Processing time in working days; a fraction counts as working hours (× 8) from the instant; 0 (within the day) "
      + "received after the unit's same-day cut-off (default 15:00) is due at the close of the next working day",
  }),
  kind: Type.Optional(StringEnum(['working', 'calendar'] as const, {
    description: 'working (the default) or calendar: whole calendar days, a deadline on a day off moving to the close of the next working day',
  })),
  unitId: Type.Optional(Type.String({ maxLength: 100, description: "The unit whose calendar applies; the default calendar when absent" })),
});
type DueQuery = Static<typeof DueQuery>;

export const DueAnswer = Type.Object({
  dueAt: Type.String({ description: 'The deadline instant: the close of the last working day (ISO 8601, UTC)' }),
  dueDate: Type.String({ description: 'The deadline day in Vietnam (YYYY-MM-DD)' }),
});

export const HolidaysQuery = Type.Object({ year: Type.Integer({ minimum: 1900, maximum: 2199 }) });

export const HolidaysAnswer = Type.Object({
  year: Type.Integer(),
  source: StringEnum(['official', 'statutory'] as const, { description: 'official: an announced schedule is loaded; statutory: computed from the Labour Code' }),
  days: Type.Array(
    Type.Object({
      date: Type.String(),
      kind: StringEnum(['off', 'work'] as const, { description: 'work: a weekend day that is a working day' }),
      name: Type.String(),
      nameEn: Type.Union([Type.String(), Type.Null()]),
    }),
  ),
});

export const LunarQuery = Type.Object({ date: Day });

export const LunarAnswer = Type.Object({
  day: Type.Integer(), month: Type.Integer(), year: Type.Integer(),
  leap: Type.Boolean({ description: 'Whether the month is the leap (repeated) month of the year' }),
});

/** The instant of a timestamp that passed the pattern, or null when its date or time does not exist. */
function parseTimestamp(text: string): Date | null {
  const iso = text.replace(/ (\d{2}:\d{2})$/, '+$1');
  const day = iso.slice(0, 10);
  const checked = new Date(`${day}T00:00:00Z`);
  if (Number.isNaN(checked.getTime()) || checked.toISOString().slice(0, 10) !== day) return null;
  const at = new Date(iso);
  return Number.isNaN(at.getTime()) ? null : at;
}

export function calendarRoutes(services: Pick<Services, 'units'> & { calendar: CalendarService }): FastifyPluginAsync {
  const { calendar, units } = services;
  return async (base) => {
    const app = base.withTypeProvider<TypeBoxTypeProvider>();

    app.get(
      '/api/v1/calendar/due',
      {
        schema: {
          tags: ['calendar'],
          summary: 'The deadline of a dossier accepted at `from` with `days` working days to process',
          description: 'The intake day does not count (Civil Code art. 147); intake after closing counts from the next working morning; '
            + 'the deadline is the close of the last working day, under the unit’s working hours, days off and swapped working days. '
            + 'With days=0, intake after the unit’s same-day cut-off (default 15:00) is due at the close of the next working day.',
          querystring: DueQuery,
          response: { 200: DueAnswer, ...errors(400) },
        },
      },
      async (req) => {
        const q = req.query as DueQuery;
        const from = parseTimestamp(q.from);
        if (!from) throw invalid({ from: { key: 'invalid' } });
        if (q.unitId && !(await units.find(q.unitId))) throw invalid({ unitId: { key: 'unknownUnit' } });
        if (q.kind === 'calendar' && !Number.isInteger(q.days)) throw invalid({ days: { key: 'notInteger' } });
        const due = await calendar.dueAt(q.unitId ?? null, from, q.days, undefined, q.kind ?? 'working');
        return { dueAt: due.toISOString(), dueDate: vietnamDay(due) };
      },
    );

    app.get(
      '/api/v1/calendar/holidays',
      {
        schema: {
          tags: ['calendar'],
          summary: 'The days off and swapped working days of a year',
          querystring: HolidaysQuery,
          response: { 200: HolidaysAnswer, ...errors(400) },
        },
      },
      async (req) => {
        const { year, source, days } = await calendar.holidays(req.query.year);
        return { year, source, days: days.map((d) => ({ date: d.date, kind: d.kind, name: d.name, nameEn: d.nameEn ?? null })) };
      },
    );

    app.get(
      '/api/v1/calendar/lunar',
      {
        schema: {
          tags: ['calendar'],
          summary: 'The Vietnamese lunar date of a day, computed at UTC+7',
          querystring: LunarQuery,
          response: { 200: LunarAnswer, ...errors(400) },
        },
      },
      async (req) => calendar.lunar(req.query.date),
    );
  };
}
