import { getPool } from '@/lib/db/pool';
import { previewSummary } from '@/lib/summary/preview-summary';
import { previewRequestSchema } from '@/lib/summary/summary-views';
import { apiRoute } from '@/app/_server/api-route';
import { readJson } from '@/app/_server/read-json';

/**
 * The live preview: parse → resolve → generate, nothing executed. Field issues are its normal
 * answer (200, ok: false). POST because the body is a definition; it is an admin action like
 * the apply it prepares. The path has a hyphen, which no summary name can contain.
 */
export const POST = apiRoute(async ({ request }) =>
  previewSummary(getPool(), await readJson(request, previewRequestSchema)),
);
