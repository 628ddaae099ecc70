import { getPool } from '@/lib/db/pool';
import { validateDefinition } from '@/lib/definition/validate-definition';
import { createSummary } from '@/lib/summary/create-summary';
import { getSummaryDetail, listSummaryViews } from '@/lib/summary/summary-overview';
import { applyRequestSchema } from '@/lib/summary/summary-views';
import { apiRoute } from '@/app/_server/api-route';
import { consoleActor } from '@/app/_server/console-actor';
import { definitionErrorResponse } from '@/app/_server/mutation-error';
import { readJson } from '@/app/_server/read-json';

export const GET = apiRoute(() => listSummaryViews(getPool()));

/** Apply: createSummary (one transaction, lock_timeout, audited); answers the new detail. */
export const POST = apiRoute(async ({ request, user }) => {
  try {
    const body = await readJson(request, applyRequestSchema);
    const definition = validateDefinition(body.definition);
    const record = await createSummary(getPool(), definition, {
      actor: consoleActor(user),
      populate: body.populate,
      ...(body.lockTimeoutMs !== undefined ? { lockTimeoutMs: body.lockTimeoutMs } : {}),
    });
    return Response.json(await getSummaryDetail(getPool(), record.name), { status: 201 });
  } catch (e) {
    const bad = definitionErrorResponse(e);
    if (bad) return bad;
    throw e;
  }
});
