// SQL for the feedback module's retention rule (src/modules/retention): the sender's name and
// contact, kept to answer them, are cleared once the answer is old enough.
import type { Db } from '../../db/connection.ts';

/** Clears the name and contact of feedback answered before `before`; returns how many were cleared. */
export async function clearAnsweredContacts(db: Db, before: string): Promise<number> {
  const r = await db
    .updateTable('feedback')
    .set({ name: '', contact: '' })
    .where('status', '=', 'answered')
    .where('answered_at', '<', before)
    .where((eb) => eb.or([eb('name', '!=', ''), eb('contact', '!=', '')]))
    .executeTakeFirst();
  return Number(r.numUpdatedRows);
}
