import { getPool } from '@/lib/db/pool';
import { validateDefinition } from '@/lib/definition/validate-definition';
import { DefinitionError } from '@/lib/errors';
import { dropSummary } from '@/lib/summary/drop-summary';
import { rebuildSummary } from '@/lib/summary/rebuild-summary';
import { getSummaryDetail } from '@/lib/summary/summary-overview';
import { applyRequestSchema } from '@/lib/summary/summary-views';
import { apiRoute } from '@/app/_server/api-route';
import { consoleActor } from '@/app/_server/console-actor';
import { definitionErrorResponse } from '@/app/_server/mutation-error';
import { readJson } from '@/app/_server/read-json';

type Context = { params: Promise<{ name: string }> };

export const GET = apiRoute<Context>(async ({ context }) =>
  getSummaryDetail(getPool(), (await context.params).name),
);

/** Edit: a rebuild (old uninstall + new install in one transaction, version + 1). */
export const PUT = apiRoute<Context>(async ({ request, user, context }) => {
  try {
    const { name } = await context.params;
    const body = await readJson(request, applyRequestSchema);
    const definition = validateDefinition(body.definition);
    if (definition.name !== name)
      throw DefinitionError.single('name', `an edit keeps the name "${name}"`);
    await rebuildSummary(getPool(), definition, {
      actor: consoleActor(user),
      populate: body.populate,
      ...(body.lockTimeoutMs !== undefined ? { lockTimeoutMs: body.lockTimeoutMs } : {}),
    });
    return getSummaryDetail(getPool(), name);
  } catch (e) {
    const bad = definitionErrorResponse(e);
    if (bad) return bad;
    throw e;
  }
});

export const DELETE = apiRoute<Context>(async ({ user, context }) => {
  try {
    const { name } = await context.params;
    await dropSummary(getPool(), name, { actor: consoleActor(user) });
    return { dropped: name };
  } catch (e) {
    const bad = definitionErrorResponse(e);
    if (bad) return bad;
    throw e;
  }
});
