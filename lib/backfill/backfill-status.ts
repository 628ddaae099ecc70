import { z } from 'zod';

/**
 * The statuses and protocols of a backfill run (tally.backfill_runs): plain schemas, shared by
 * the server code and the browser.
 */
export const BACKFILL_STATUSES = [
  'pending',
  'running',
  'paused',
  'cancelled',
  'failed',
  'done',
] as const;
export const backfillStatus = z.enum(BACKFILL_STATUSES);
export type BackfillStatus = z.infer<typeof backfillStatus>;

/** Statuses of a run that may still make progress: at most one per summary. */
export const LIVE_STATUSES: readonly BackfillStatus[] = ['pending', 'running', 'paused'];

export function isLiveStatus(status: BackfillStatus): boolean {
  return LIVE_STATUSES.includes(status);
}

export const backfillProtocol = z.enum(['key_order', 'single']);
export type BackfillProtocol = z.infer<typeof backfillProtocol>;
