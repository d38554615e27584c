// Issue 11 item 6, deadlines at acceptance (docs/domain.md §4.4): the same-day cut-off, processing
// times in calendar days, and intake at a Saturday reception desk, through the real HTTP API.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import type { TestContext } from '../../testing/context.ts';
import { communeUnit } from '../../testing/fixtures.ts';
import { counterDossier, deskAt, must, onlineDossier, openDesk, type Desk } from '../../testing/office.ts';
import { receptionHours } from '../../domain/calendar.ts';

let ctx: TestContext;
let desk: Desk;
before(async () => ({ ctx, desk } = await openDesk()));
after(() => ctx.close());

/** An instant given in Vietnam time, `YYYY-MM-DD HH:MM`, as ISO 8601 UTC. */
const vn = (local: string) => new Date(`${local.replace(' ', 'T')}:00+07:00`).toISOString();

/** Sets the clock and signs the desk in again (a staff session lasts 12 hours at most). */
async function at(local: string): Promise<void> {
  ctx.clock.set(vn(local));
  desk = await deskAt(ctx);
}

test('a same-day procedure (birth registration) accepted at 15:30 on Monday 30/11/2026 is due at 17:00 on Tuesday 1/12/2026', async () => {
  await at('2026-11-30 15:30');
  const d = await onlineDossier(ctx);
  const accepted = await must(ctx, desk.reception, d.id, { action: 'accept' });
  assert.equal(accepted.dueAt, vn('2026-12-01 17:00'));
});

test('a same-day procedure accepted at 14:30 on Monday 30/11/2026 is due at 17:00 the same day', async () => {
  await at('2026-11-30 14:30');
  const d = await onlineDossier(ctx);
  assert.equal((await must(ctx, desk.reception, d.id, { action: 'accept' })).dueAt, vn('2026-11-30 17:00'));
});

test("a unit's own cut-off of 16:00: a same-day dossier accepted at 15:30 is due the same day", async () => {
  await ctx.services.calendar.setDeadlineSettings(communeUnit, { sameDayCutoff: '16:00', reception: null }, { id: desk.reception.user.id });
  try {
    await at('2026-11-30 15:30');
    const d = await onlineDossier(ctx);
    assert.equal((await must(ctx, desk.reception, d.id, { action: 'accept' })).dueAt, vn('2026-11-30 17:00'));
  } finally {
    await ctx.services.calendar.setDeadlineSettings(communeUnit, { sameDayCutoff: null, reception: null }, { id: desk.reception.user.id });
  }
});

test('a complaint (30 calendar days, "Không quá 30 ngày") accepted on Thursday 3/12/2026 ends on Saturday 2/1/2027, so it is due Monday 4/1/2027 at 17:00 (Civil Code art. 148)', async () => {
  await at('2026-12-03 09:00');
  assert.equal(ctx.services.catalog.find('giai-quyet-khieu-nai-lan-dau-cap-xa')?.processingDayKind, 'calendar');
  const d = await counterDossier(ctx, desk.reception, { procedureId: 'giai-quyet-khieu-nai-lan-dau-cap-xa', form: { request_details: 'Khiếu nại quyết định hành chính' } });
  assert.equal(d.dueAt, vn('2027-01-04 17:00'));
});

test('a dossier received at a Saturday-morning reception desk (Saturday 5/12/2026 09:00) for 3 working days counts from Monday 7/12: due Thursday 10/12 at 17:00', async () => {
  await ctx.services.calendar.setDeadlineSettings(communeUnit, { sameDayCutoff: null, reception: receptionHours({ saturdayMorning: true }) }, { id: desk.reception.user.id });
  try {
    assert.deepEqual((await ctx.services.calendar.deadlineSettingsOf(communeUnit)).reception?.sat, [{ from: '07:00', to: '11:30' }]);
    await at('2026-12-05 09:00');
    const d = await counterDossier(ctx, desk.reception);
    assert.equal(d.dueAt, vn('2026-12-10 17:00'));
  } finally {
    await ctx.services.calendar.setDeadlineSettings(communeUnit, { sameDayCutoff: null, reception: null }, { id: desk.reception.user.id });
  }
});
