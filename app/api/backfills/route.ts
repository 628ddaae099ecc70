import { getPool } from '@/lib/db/pool';
import { listBackfills } from '@/lib/backfill/backfill-state';
import { apiRoute } from '@/app/_server/api-route';

/** The latest backfill run of every summary, with progress (the summaries list polls it). */
export const GET = apiRoute(() => listBackfills(getPool()));
