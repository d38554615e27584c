// Masking a recipient for a log line (OWASP ASVS V7.1.1, V8.3.5; Decree 13/2023): enough to tell
// two recipients apart while reading a log, never enough to write to them.

/** `nguyen.anh@example.vn` → `n***@e***.vn`: the first letter of each part and the last label. */
export function maskEmail(email: string): string {
  const at = email.lastIndexOf('@');
  if (at < 1) return '***';
  const domain = email.slice(at + 1);
  const dot = domain.lastIndexOf('.');
  const tld = dot > 0 ? domain.slice(dot) : '';
  return `${email[0]}***@${domain[0] ?? ''}***${tld}`;
}

/** `+84912345678` → `+84*****678`: the country or network prefix and the last three digits; always
 *  five stars, so the length says nothing. */
export function maskPhone(phone: string): string {
  const p = phone.replace(/[\s.-]/g, '');
  if (p.length < 7) return '***';
  return `${p.slice(0, 3)}*****${p.slice(-3)}`;
}

/** An email address or a phone number, whichever it looks like. */
export function maskRecipient(recipient: string): string {
  return recipient.includes('@') ? maskEmail(recipient) : maskPhone(recipient);
}
