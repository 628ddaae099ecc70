import { z } from 'zod';

/** /catalog/[schema]/[table]: any PostgreSQL name (1–63 bytes), taken verbatim. */
const pgName = z
  .string()
  .min(1)
  .refine((s) => Buffer.byteLength(s, 'utf8') <= 63 && !s.includes('\0'), 'not a PostgreSQL name');

export const relationParamsSchema = z.strictObject({ schema: pgName, table: pgName });
export type RelationParams = z.infer<typeof relationParamsSchema>;

function decodeSegment(segment: string): string | null {
  try {
    return decodeURIComponent(segment);
  } catch {
    return null;
  }
}

/**
 * The relation named by a page's (or layout's) params, or null if they cannot name one.
 * Next 16.4 hands pages and layouts their dynamic segments still percent-encoded, while
 * route handlers and generateMetadata get them decoded; so pages decode exactly once here.
 * The e2e suite opens a table literally named "%41" to catch a change in that behaviour.
 */
export function relationFromPageParams(params: {
  schema: string;
  table: string;
}): RelationParams | null {
  const parsed = relationParamsSchema.safeParse({
    schema: decodeSegment(params.schema),
    table: decodeSegment(params.table),
  });
  return parsed.success ? parsed.data : null;
}
