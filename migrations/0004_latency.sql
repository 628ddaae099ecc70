-- Latency lab (DESIGN.md § Latency lab): one row per benchmark run of a summary, with its
-- statistics and plans as JSON (lib/latency/latency-views.ts is the shape), and every timed
-- sample, so history can be charted and a run re-read exactly as it was measured.
CREATE TABLE IF NOT EXISTS tally.latency_runs (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  summary_id integer REFERENCES tally.summaries (id) ON DELETE CASCADE,
  summary_name text NOT NULL,
  status text NOT NULL DEFAULT 'running' CHECK (status IN ('running', 'done', 'failed')),
  runs integer NOT NULL CHECK (runs > 0),
  timeout_ms integer NOT NULL CHECK (timeout_ms > 0),
  -- samples taken so far / planned, for the progress bar
  done integer NOT NULL DEFAULT 0,
  total integer NOT NULL DEFAULT 0,
  -- the source table's row count when the run started (pg_class.reltuples)
  source_rows bigint,
  -- per query: client-time statistics, server execution time, plan summary (LatencyQueryResult[])
  results jsonb NOT NULL DEFAULT '[]',
  -- triggers active vs bypassed on a rolled-back batch of writes (WriteOverhead), when measured
  write_overhead jsonb,
  error text,
  created_by text NOT NULL DEFAULT current_user,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  finished_at timestamptz
);

CREATE INDEX IF NOT EXISTS latency_runs_summary_idx ON tally.latency_runs (summary_name, id DESC);

CREATE TABLE IF NOT EXISTS tally.latency_samples (
  run_id bigint NOT NULL REFERENCES tally.latency_runs (id) ON DELETE CASCADE,
  query text NOT NULL,
  seq integer NOT NULL,
  client_ms double precision NOT NULL,
  -- a run cut short by statement_timeout: client_ms is the timeout, shown as "> timeout"
  timed_out boolean NOT NULL DEFAULT false,
  row_count integer,
  PRIMARY KEY (run_id, query, seq)
);
