import { getPool } from '@/lib/db/pool';
import { latencyOverview } from '@/lib/latency/latency-store';
import { apiRoute } from '@/app/_server/api-route';

/** The latest finished latency run of every summary, best dashboard speed-up first. */
export const GET = apiRoute(async () => latencyOverview(getPool()));
