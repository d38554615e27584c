// Notices about an account's security, sent through the outbox inside the caller's transaction.
import type { Db } from '../../db/connection.ts';
import { vietnamTime, type Lang } from '../../i18n/index.ts';
import type { Outbox } from './accounts.service.ts';

/**
 * After a password reset, a notice to the account's other contacts (the reset code went to the
 * username's address): someone who took over the email or the phone cannot do it unnoticed. The
 * notice holds neither the code nor the password.
 */
export async function notifyPasswordChanged(
  outbox: Outbox, tx: Db, user: { username: string; name: string; email: string | null; phone: string | null }, lang: Lang, now: Date,
): Promise<void> {
  const at = vietnamTime(now.toISOString(), lang);
  if (user.phone && user.phone !== user.username) {
    await outbox.enqueue(tx, { channel: 'sms', recipient: user.phone, template: 'password_changed', lang, params: { name: user.name, at }, now });
  }
  if (user.email && user.email !== user.username) {
    await outbox.enqueue(tx, { channel: 'email', recipient: user.email, template: 'password_changed', lang, params: { name: user.name, at }, now });
  }
}
