// The working calendar's admin page (/quan-tri/lich) and its forms. A province admin edits the
// days off, swapped working days, the year's official mark and the default working hours; a unit
// admin sees the calendar and edits only the hours of the units they hold. Strangers are sent to
// sign in; everyone else gets 403. Every edit goes through CalendarService, which audits it.
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import { isClock, parseWorkingHours, type DayKind, type Period, type WorkingHours } from '../../domain/calendar.ts';
import { unitsCovered } from '../../domain/roles.ts';
import { vietnamDay } from '../../domain/time.ts';
import { requireUser } from '../../http/auth.ts';
import { checkCsrf, pageContext } from '../../http/csrf.ts';
import { fail } from '../../errors.ts';
import { attempt, formText, signInFirst } from '../../http/page-kit.ts';
import { sendPage } from '../../http/reply.ts';
import type { Services } from '../../services.ts';
import { format, localName, messages, type Lang } from '../../i18n/index.ts';
import type { SessionUser } from '../accounts/accounts.service.ts';
import { calendarPage, displayDate, weekOrder, type Done, type FailedForm } from './calendar.pages.ts';

const maxName = 200;
const minYear = 1900;
const maxYear = 2199;
const datePattern = /^\d{4}-\d{2}-\d{2}$/;
const isRealDate = (date: string) => datePattern.test(date) && new Date(`${date}T00:00:00Z`).toISOString().startsWith(date);
const doneKinds: ReadonlySet<string> = new Set(['day', 'removed', 'official', 'hours', 'unitHours', 'reception']);

/** A year typed or linked, when it is one the calendar covers. */
function yearOf(text: string): number | null {
  if (!/^\d{4}$/.test(text)) return null;
  const y = Number(text);
  return y >= minYear && y <= maxYear ? y : null;
}

/** What the viewer may edit: everything (province admin), or the hours of the units they administer. */
type Access = { province: boolean; unitIds: string[] };

type Body = Record<string, unknown>;
const field = (body: Body, k: string) => formText(body, k).trim().slice(0, 1000);

/**
 * Reads the seven hours fields (`07:00-11:30, 13:30-17:00`, empty for a day off) into working hours,
 * or says what is wrong with each day. The domain's parseWorkingHours has the last word on order.
 */
function readHours(lang: Lang, body: Body): { hours: WorkingHours | null; values: Record<string, string>; errors: Record<string, string> } {
  const c = messages(lang).calendarAdmin.errors;
  const values: Record<string, string> = {};
  const errors: Record<string, string> = {};
  const hours: Record<string, Period[]> = {};
  for (const day of weekOrder) {
    const text = field(body, day);
    values[day] = text;
    const periods: Period[] = [];
    let bad = false;
    for (const part of text.split(/[,;]/).map((p) => p.trim()).filter(Boolean)) {
      const m = /^(\d{1,2})[:.h](\d{2})\s*[-–—]\s*(\d{1,2})[:.h](\d{2})$/.exec(part);
      if (!m || Number(m[1]) > 23 || Number(m[2]) > 59 || Number(m[3]) > 23 || Number(m[4]) > 59) {
        bad = true;
        break;
      }
      periods.push({ from: `${m[1]!.padStart(2, '0')}:${m[2]}`, to: `${m[3]!.padStart(2, '0')}:${m[4]}` });
    }
    if (bad) {
      errors[day] = c.badPeriods;
      continue;
    }
    try {
      hours[day] = parseWorkingHours({ [day]: periods })[day];
    } catch (err) {
      if (!(err instanceof RangeError)) throw err;
      errors[day] = c.periodOrder;
    }
  }
  if (!Object.keys(errors).length && weekOrder.every((d) => !hours[d]?.length)) errors.mon = c.noWorkingTime;
  return { hours: Object.keys(errors).length ? null : parseWorkingHours(hours), values, errors };
}

export function calendarPageRoutes(services: Pick<Services, 'calendar' | 'catalog' | 'clock'>): FastifyPluginAsync {
  const { calendar, catalog, clock } = services;

  const thisYear = () => Number(vietnamDay(clock.now()).slice(0, 4));
  const unitName = (lang: Lang, id: string) => {
    const u = catalog.unit(id);
    return u ? localName(lang, u) : id;
  };

  function accessOf(user: SessionUser): Access {
    const province = user.roles.some((r) => r.role === 'province_admin');
    const all = catalog.allUnits();
    const unitIds = province ? all.map((u) => u.id) : unitsCovered(user.roles.filter((r) => r.role === 'unit_admin'), all);
    if (!province && !unitIds.length) fail('forbidden');
    return { province, unitIds };
  }

  /** The signed-in province admin behind a POST (CSRF checked first). */
  function provinceAdmin(req: FastifyRequest): SessionUser {
    checkCsrf(req);
    const user = requireUser(req);
    if (!accessOf(user).province) fail('forbidden');
    return user;
  }

  type Show = { year: number; unitId?: string; done?: Done; failed?: FailedForm };

  async function show(req: FastifyRequest, reply: FastifyReply, s: Show, status = 200) {
    const access = accessOf(req.user!);
    const [table, defaults] = await Promise.all([calendar.holidayTable(s.year), calendar.workingHoursOf(null)]);
    const units = access.unitIds.map((id) => ({ value: id, text: unitName(req.lang, id) }));
    const unitId = s.unitId && access.unitIds.includes(s.unitId) ? s.unitId : units[0]?.value;
    const unit = unitId
      ? { id: unitId, name: unitName(req.lang, unitId), ...(await calendar.workingHoursOf(unitId)), deadline: await calendar.deadlineSettingsOf(unitId) }
      : null;
    return sendPage(reply, calendarPage(pageContext(req, reply), {
      table, canEditDays: access.province, defaultHours: defaults.hours, units, unit, done: s.done, failed: s.failed,
    }), status);
  }

  const back = (reply: FastifyReply, year: number, done: string, extra: Record<string, string> = {}) =>
    reply.redirect(`/quan-tri/lich?${new URLSearchParams({ nam: String(year), xong: done, ...extra }).toString()}`, 303);

  return async (app) => {
    const hide = { schema: { hide: true } };

    app.get('/quan-tri/lich', hide, async (req, reply) => {
      if (!req.user) return signInFirst(req, reply);
      accessOf(req.user);
      const q = req.query as Record<string, unknown>;
      const str = (k: string) => (typeof q[k] === 'string' ? (q[k] as string).slice(0, 200) : '');
      // A year that is not one (nam=abc, nam=1800) is refused by the service with a 400.
      const year = str('nam') ? (yearOf(str('nam')) ?? Number(str('nam'))) : thisYear();
      const what = str('xong');
      const date = str('ngay');
      const done = doneKinds.has(what) ? { what: what as Done['what'], ...(isRealDate(date) ? { date } : {}) } : undefined;
      return show(req, reply, { year, unitId: str('don-vi') || undefined, done });
    });

    // Add or change a day of the default calendar.
    app.post('/quan-tri/lich/ngay', hide, async (req, reply) => {
      const user = provinceAdmin(req);
      const body = req.body as Body;
      const values = { date: field(body, 'date'), kind: field(body, 'kind'), name: field(body, 'name'), nameEn: field(body, 'nameEn') };
      const fe = messages(req.lang).fieldErrors;
      const errors: Record<string, string> = {};
      if (!values.date) errors.date = fe.required;
      else if (!isRealDate(values.date)) errors.date = fe.badDate;
      if (values.kind !== 'off' && values.kind !== 'work') errors.kind = fe.chooseOne;
      if (!values.name) errors.name = fe.required;
      else if (values.name.length > maxName) errors.name = format(fe.tooLong, { max: maxName });
      if (values.nameEn.length > maxName) errors.nameEn = format(fe.tooLong, { max: maxName });
      if (!Object.keys(errors).length) {
        const r = await attempt(req, () => calendar.setDay({ date: values.date, kind: values.kind as DayKind, name: values.name, ...(values.nameEn ? { nameEn: values.nameEn } : {}) }, null, { id: user.id }));
        if (r.ok) return back(reply, Number(values.date.slice(0, 4)), 'day', { ngay: values.date });
        Object.assign(errors, r.rejected.errors);
      }
      const year = yearOf(values.date.slice(0, 4)) ?? yearOf(field(body, 'nam')) ?? thisYear();
      return show(req, reply, { year, failed: { form: 'day', values, errors } }, 400);
    });

    // Remove a day: an announced or statutory one too (the year then stays a table without it).
    app.post('/quan-tri/lich/ngay/xoa', hide, async (req, reply) => {
      const user = provinceAdmin(req);
      const date = field(req.body as Body, 'date');
      const year = yearOf(date.slice(0, 4)) ?? thisYear();
      const r = await attempt(req, () => calendar.removeDay(date, null, { id: user.id }));
      if (r.ok && r.value) return back(reply, year, 'removed', { ngay: date });
      const errors = { '': r.ok ? format(messages(req.lang).calendarAdmin.errors.notRemoved, { date: displayDate(date) }) : Object.values(r.rejected.errors).join(' ') };
      return show(req, reply, { year, failed: { form: 'remove', values: { date }, errors } }, 400);
    });

    app.post('/quan-tri/lich/chinh-thuc', hide, async (req, reply) => {
      const user = provinceAdmin(req);
      const text = field(req.body as Body, 'nam');
      const r = await attempt(req, () => calendar.markOfficial(Number(text), { id: user.id }));
      if (r.ok) return back(reply, Number(text), 'official');
      return show(req, reply, { year: thisYear(), failed: { form: 'official', values: { nam: text }, errors: r.rejected.errors } }, 400);
    });

    app.post('/quan-tri/lich/gio-lam-viec', hide, async (req, reply) => {
      const user = provinceAdmin(req);
      const body = req.body as Body;
      const year = yearOf(field(body, 'nam')) ?? thisYear();
      const { hours, values, errors } = readHours(req.lang, body);
      if (!hours) return show(req, reply, { year, failed: { form: 'hours', values, errors } }, 400);
      await calendar.setWorkingHours(null, hours, { id: user.id });
      return back(reply, year, 'hours');
    });

    // A unit's own hours, or back to the default calendar's: a province admin, or the unit's admin.
    app.post('/quan-tri/lich/gio-lam-viec/don-vi', hide, async (req, reply) => {
      checkCsrf(req);
      const user = requireUser(req);
      const access = accessOf(user);
      const body = req.body as Body;
      const year = yearOf(field(body, 'nam')) ?? thisYear();
      const unitId = field(body, 'unitId');
      const mode = field(body, 'mode');
      if (!access.unitIds.includes(unitId)) {
        if (!access.province) fail('forbidden');
        const errors = { unitId: messages(req.lang).fieldErrors.unknownUnit };
        return show(req, reply, { year, failed: { form: 'unitHours', values: { mode }, errors } }, 400);
      }
      if (mode === 'default') {
        await calendar.setWorkingHours(unitId, null, { id: user.id });
        return back(reply, year, 'unitHours', { 'don-vi': unitId });
      }
      const read = readHours(req.lang, body);
      const errors = mode === 'own' ? read.errors : { mode: messages(req.lang).calendarAdmin.errors.chooseMode };
      if (!read.hours || mode !== 'own') return show(req, reply, { year, unitId, failed: { form: 'unitHours', values: { ...read.values, mode }, errors } }, 400);
      await calendar.setWorkingHours(unitId, read.hours, { id: user.id });
      return back(reply, year, 'unitHours', { 'don-vi': unitId });
    });

    // A unit's same-day cut-off (empty: the default, 15:00) and reception hours (all empty: working hours only).
    app.post('/quan-tri/lich/tiep-nhan/don-vi', hide, async (req, reply) => {
      checkCsrf(req);
      const user = requireUser(req);
      const body = req.body as Body;
      const year = yearOf(field(body, 'nam')) ?? thisYear();
      const unitId = field(body, 'unitId');
      if (!accessOf(user).unitIds.includes(unitId)) fail('forbidden');
      const cutoff = field(body, 'cutoff').replace(/^(\d):/, '0$1:');
      const empty = weekOrder.every((d) => !field(body, d));
      const read = empty ? { hours: null, values: Object.fromEntries(weekOrder.map((d) => [d, ''])), errors: {} as Record<string, string> } : readHours(req.lang, body);
      const errors = { ...read.errors, ...(cutoff && !isClock(cutoff) ? { cutoff: messages(req.lang).calendarAdmin.errors.badCutoff } : {}) };
      if (Object.keys(errors).length) return show(req, reply, { year, unitId, failed: { form: 'reception', values: { ...read.values, cutoff }, errors } }, 400);
      await calendar.setDeadlineSettings(unitId, { sameDayCutoff: cutoff || null, reception: read.hours }, { id: user.id });
      return back(reply, year, 'reception', { 'don-vi': unitId });
    });
  };
}
