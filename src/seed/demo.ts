// The demo data a fresh `npm start` serves: Tiền Giang's organisation (2017), the national
// administrative-area lists, and the real procedure catalogue.
import type { Db } from '../db/connection.ts';
import { bumpCatalogRevision } from '../modules/catalog/catalog.queries.ts';
import { loadCatalog } from './catalog.ts';
import { readReference } from '../reference.ts';
import { loadWorkflowTemplates } from '../modules/office/office.templates.ts';
import { CalendarService, holidaysFile } from '../modules/calendar/calendar.service.ts';
import { loadAdminAreas, loadOrganisation } from './organisation.ts';
import { seedOutreach } from '../modules/outreach/outreach.seed.ts';

export async function isDemoLoaded(db: Db): Promise<boolean> {
  const row = await db.selectFrom('meta').select('value').where('key', '=', 'demo_loaded_at').executeTakeFirst();
  return row !== undefined;
}

export async function seedDemo(db: Db, now: Date) {
  await db.deleteFrom('procedures').execute();
  const units = await loadOrganisation(db);
  const areas = await loadAdminAreas(db);
  const catalog = await loadCatalog(db, now);
  await bumpCatalogRevision(db, now.toISOString());
  const calendar = await new CalendarService(db).seedFromJson(readReference(holidaysFile));
  const workflows = await loadWorkflowTemplates(db, now);
  const outreach = await seedOutreach(db, now);
  await db
    .insertInto('meta')
    .values({ key: 'demo_loaded_at', value: now.toISOString() })
    .onConflict((oc) => oc.column('key').doUpdateSet({ value: now.toISOString() }))
    .execute();
  return { units, ...areas, ...catalog, holidayYears: calendar.loaded.length, workflows: workflows.loaded, outreachPlans: outreach.plans };
}
