-- Backfill state (DESIGN.md § Backfill): one row per run, read by the progress bars, the CLI
-- and psql alike, and written in the same transaction as the batch it describes.
CREATE TABLE IF NOT EXISTS tally.backfill_runs (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  summary_id integer NOT NULL REFERENCES tally.summaries (id) ON DELETE CASCADE,
  summary_name text NOT NULL,
  status text NOT NULL DEFAULT 'pending'
    CHECK (status IN ('pending', 'running', 'paused', 'cancelled', 'failed', 'done')),
  -- key_order: walk the group keys through a source index, one short transaction per batch;
  -- single: one transaction under the summary-wide lock (no GROUP BY, or no usable index)
  protocol text NOT NULL CHECK (protocol IN ('key_order', 'single')),
  -- why that protocol, in words (index used, correlation of the leading key, estimates)
  protocol_reason text NOT NULL DEFAULT '',
  -- the walk: which keys, in which order (JSON, see lib/backfill/backfill-plan.ts)
  walk jsonb NOT NULL DEFAULT '{}',
  -- where the next batch starts: {"phase": "walk"|"tail"|"done", "after": [key text, ...] | null}
  cursor jsonb NOT NULL DEFAULT '{"phase": "walk", "after": null}',
  rows_done bigint NOT NULL DEFAULT 0,
  groups_done bigint NOT NULL DEFAULT 0,
  batches_done integer NOT NULL DEFAULT 0,
  -- from the planner's statistics at the start, refined after every batch
  estimated_rows bigint,
  estimated_groups bigint,
  -- walk prefixes per batch; adapts toward target_batch_ms unless adaptive is off
  batch_size integer NOT NULL DEFAULT 1 CHECK (batch_size > 0),
  adaptive boolean NOT NULL DEFAULT true,
  target_batch_ms integer NOT NULL DEFAULT 100 CHECK (target_batch_ms > 0),
  -- pause between batches; re-read before every batch, so it can change while running
  throttle_ms integer NOT NULL DEFAULT 0 CHECK (throttle_ms >= 0),
  created_at timestamptz NOT NULL DEFAULT now(),
  created_by text NOT NULL DEFAULT current_user,
  started_at timestamptz,
  updated_at timestamptz NOT NULL DEFAULT now(),
  finished_at timestamptz,
  -- the lease: a runner owns a running run while its heartbeat is fresh
  heartbeat_at timestamptz,
  owner text,
  attempts integer NOT NULL DEFAULT 0,
  retries integer NOT NULL DEFAULT 0,
  last_error text
);

-- At most one live run per summary.
CREATE UNIQUE INDEX IF NOT EXISTS backfill_runs_one_live
  ON tally.backfill_runs (summary_id) WHERE status IN ('pending', 'running', 'paused');
CREATE INDEX IF NOT EXISTS backfill_runs_summary_idx ON tally.backfill_runs (summary_id, id DESC);
-- what runners poll for
CREATE INDEX IF NOT EXISTS backfill_runs_claimable ON tally.backfill_runs (created_at)
  WHERE status IN ('pending', 'running');

-- One row per committed batch (the throughput chart, the longest transaction); a run keeps
-- its most recent batches only (lib/backfill/run-backfill.ts trims older ones).
CREATE TABLE IF NOT EXISTS tally.backfill_batches (
  run_id bigint NOT NULL REFERENCES tally.backfill_runs (id) ON DELETE CASCADE,
  batch_no integer NOT NULL,
  finished_at timestamptz NOT NULL DEFAULT clock_timestamp(),
  owner text NOT NULL,
  batch_size integer NOT NULL,
  rows bigint NOT NULL,
  groups bigint NOT NULL,
  slots integer NOT NULL,
  wide_lock boolean NOT NULL,
  -- the whole transaction, and the part of it that held group locks
  duration_ms double precision NOT NULL,
  lock_ms double precision NOT NULL,
  retries integer NOT NULL DEFAULT 0,
  PRIMARY KEY (run_id, batch_no)
);
