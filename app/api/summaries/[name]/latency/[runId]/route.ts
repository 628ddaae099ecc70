import { getPool } from '@/lib/db/pool';
import { NotFoundError } from '@/lib/errors';
import { getLatencyRun } from '@/lib/latency/latency-store';
import { apiRoute } from '@/app/_server/api-route';

type Context = { params: Promise<{ name: string; runId: string }> };

/** One run, with its progress while it is going. */
export const GET = apiRoute<Context>(async ({ context }) => {
  const { name, runId } = await context.params;
  const id = Number(runId);
  if (!Number.isSafeInteger(id)) throw new NotFoundError(`latency run ${runId} does not exist`);
  const run = await getLatencyRun(getPool(), id);
  if (run.summaryName !== name)
    throw new NotFoundError(`latency run ${id} is not a run of "${name}"`);
  return run;
});
