import { getPool } from '@/lib/db/pool';
import { NotFoundError } from '@/lib/errors';
import { summaryName } from '@/lib/definition/definition';
import { backfillAction } from '@/lib/backfill/backfill-view';
import { applyBackfillAction, getBackfillState } from '@/lib/backfill/backfill-state';
import { apiRoute } from '@/app/_server/api-route';
import { consoleActor } from '@/app/_server/console-actor';
import { readJson } from '@/app/_server/read-json';

type Context = { params: Promise<{ name: string }> };

async function nameOf(context: Context): Promise<string> {
  const parsed = summaryName.safeParse((await context.params).name);
  // a segment that cannot be a summary name names no summary
  if (!parsed.success) throw new NotFoundError('no such summary');
  return parsed.data;
}

/** The summary's backfill: the live (or latest) run with progress, its batches, the history. */
export const GET = apiRoute<Context>(async ({ context }) =>
  getBackfillState(getPool(), await nameOf(context)),
);

/** Start, restart, pause, resume, cancel or adjust (throttle, batch size) the backfill. */
export const POST = apiRoute<Context>(async ({ request, user, context }) => {
  const name = await nameOf(context);
  const action = await readJson(request, backfillAction);
  return applyBackfillAction(getPool(), name, action, consoleActor(user));
});
