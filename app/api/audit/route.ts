import { getPool } from '@/lib/db/pool';
import { DefinitionError } from '@/lib/errors';
import { zodIssues } from '@/lib/definition/validate-definition';
import { listAuditEntries } from '@/lib/summary/audit-log';
import { auditQuerySchema } from '@/lib/summary/summary-views';
import { apiRoute } from '@/app/_server/api-route';

/** GET /api/audit?summary=&outcome=&before=&limit= — newest first. */
export const GET = apiRoute(async ({ request }) => {
  const params = Object.fromEntries(new URL(request.url).searchParams);
  const query = auditQuerySchema.safeParse(params);
  if (!query.success) throw new DefinitionError(zodIssues(query.error));
  return listAuditEntries(getPool(), query.data);
});
