/**
 * Cross-site request forgery guard for mutations. Browsers send `Sec-Fetch-Site` on every
 * request and `Origin` on every POST; a cross-site page can set neither. A request with
 * neither header is refused too: scripts calling the API must send `Origin`.
 */
export function isSameOrigin(headers: Headers): boolean {
  const site = headers.get('sec-fetch-site');
  if (site) return site === 'same-origin';
  const origin = headers.get('origin');
  if (!origin || origin === 'null') return false;
  const host = headers.get('x-forwarded-host')?.split(',')[0]?.trim() || headers.get('host');
  if (!host) return false;
  try {
    return new URL(origin).host === host;
  } catch {
    return false;
  }
}
