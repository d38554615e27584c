// Security headers, fixed at start. (@fastify/helmet rebuilds the same header values on every
// request, which showed in the search benchmark's profile; these are helmet's defaults, made once.)

const contentSecurityPolicy = [
  "default-src 'self'",
  "base-uri 'self'",
  "font-src 'self'",
  "form-action 'self'",
  "frame-ancestors 'self'",
  "img-src 'self' data:",
  "object-src 'none'",
  "script-src 'self'",
  "script-src-attr 'none'",
  "style-src 'self'",
  'upgrade-insecure-requests',
].join(';');

/** For pages: everything a browser document needs. */
export const pageSecurityHeaders: Readonly<Record<string, string>> = Object.freeze({
  'content-security-policy': contentSecurityPolicy,
  'cross-origin-opener-policy': 'same-origin',
  'cross-origin-resource-policy': 'same-origin',
  'origin-agent-cluster': '?1',
  'referrer-policy': 'no-referrer',
  'strict-transport-security': 'max-age=31536000; includeSubDomains',
  'x-content-type-options': 'nosniff',
  'x-dns-prefetch-control': 'off',
  'x-download-options': 'noopen',
  'x-frame-options': 'SAMEORIGIN',
  'x-permitted-cross-domain-policies': 'none',
  'x-xss-protection': '0',
});

/** For JSON answers, which no browser renders as a document: the headers that still apply. */
export const apiSecurityHeaders: Readonly<Record<string, string>> = Object.freeze({
  'cross-origin-resource-policy': 'same-origin',
  'referrer-policy': 'no-referrer',
  'strict-transport-security': 'max-age=31536000; includeSubDomains',
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'SAMEORIGIN',
});

// Paths whose answers carry personal data even before sign-in is checked (an error page for a
// dossier, the tracking page): the onSend hook in app.ts marks them `Cache-Control: no-store`, as it
// does every answer to a signed-in caller.
const personalPaths = [/^\/api\/v1\/(dossiers|inbound|office|me|auth|track)(\/|\?|$)/, /^\/(ho-so|can-bo|tai-khoan|tra-cuu|quan-tri|dang-nhap|dang-ky|xac-nhan|quen-mat-khau|dat-lai-mat-khau)(\/|\?|$)/];

export function holdsPersonalData(url: string): boolean {
  return personalPaths.some((p) => p.test(url));
}

/** For uploaded files served back (attachments, results): never run as a page of this origin (ASVS V12.5.2). */
export const uploadHeaders: Readonly<Record<string, string>> = Object.freeze({
  'content-security-policy': 'sandbox',
  'x-content-type-options': 'nosniff',
  'cache-control': 'no-store',
});
