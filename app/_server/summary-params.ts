import { summaryName } from '@/lib/definition/definition';

/**
 * /summaries/[name]: the summary a page's params name, or null when they cannot name one.
 * Pages get their segments percent-encoded in Next 16.4 (see relation-params.ts); summary
 * names are plain [a-z0-9_], so decoding once is only a formality, but keeps the two alike.
 */
export function summaryFromPageParams(params: { name: string }): string | null {
  let decoded: string;
  try {
    decoded = decodeURIComponent(params.name);
  } catch {
    return null;
  }
  return summaryName.safeParse(decoded).success ? decoded : null;
}
