import { getPool } from '@/lib/db/pool';
import { listLatencyRuns } from '@/lib/latency/latency-store';
import { latencyRequest } from '@/lib/latency/latency-views';
import { runLatency } from '@/lib/latency/run-latency';
import { apiRoute } from '@/app/_server/api-route';
import { consoleActor } from '@/app/_server/console-actor';
import { definitionErrorResponse } from '@/app/_server/mutation-error';
import { readJson } from '@/app/_server/read-json';

type Context = { params: Promise<{ name: string }> };

/** The summary's latency runs, newest first (the history chart). */
export const GET = apiRoute<Context>(async ({ context }) =>
  listLatencyRuns(getPool(), (await context.params).name),
);

/**
 * Starts a run and answers 202 with its id as soon as it is stored; the run goes on in this
 * process and the browser polls GET …/latency/<id> for progress. Bad input answers 400 before
 * anything is stored.
 */
export const POST = apiRoute<Context>(async ({ request, user, context }) => {
  try {
    const { name } = await context.params;
    const body = await readJson(request, latencyRequest);
    const runId = await new Promise<number>((resolve, reject) => {
      runLatency(getPool(), name, body, { actor: consoleActor(user), onStarted: resolve }).catch(
        (e: unknown) => {
          // after onStarted the failure is stored on the run; this only reaches the caller before it
          reject(e);
        },
      );
    });
    return Response.json({ runId }, { status: 202 });
  } catch (e) {
    const bad = definitionErrorResponse(e);
    if (bad) return bad;
    throw e;
  }
});
