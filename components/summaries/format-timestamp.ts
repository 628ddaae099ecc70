/** `2025-03-04 05:06 UTC`: the same text on the server and in the browser (no locale, no TZ). */
export function formatTimestamp(iso: string): string {
  return `${iso.slice(0, 16).replace('T', ' ')} UTC`;
}
