-- Tally's own catalog: one row per summary, and an audit log of every statement Tally ran.
CREATE SCHEMA IF NOT EXISTS tally;

CREATE TABLE IF NOT EXISTS tally.summaries (
  id integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  name text NOT NULL UNIQUE,
  shape text NOT NULL,
  target_schema text NOT NULL,
  target_table text NOT NULL,
  source_schema text NOT NULL,
  source_table text NOT NULL,
  definition jsonb NOT NULL,
  defining_query text NOT NULL,
  install_sql text NOT NULL,
  uninstall_sql text NOT NULL,
  version integer NOT NULL DEFAULT 1,
  -- installed: triggers live, not yet backfilled; backfilling; ready: exact; cancelled: a
  -- backfill was cancelled, contents not trustworthy
  status text NOT NULL DEFAULT 'installed'
    CHECK (status IN ('installed', 'backfilling', 'ready', 'cancelled')),
  lock_class integer NOT NULL,
  depends_on text[] NOT NULL DEFAULT '{}',
  created_by text NOT NULL DEFAULT current_user,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (target_schema, target_table)
);

CREATE TABLE IF NOT EXISTS tally.audit_log (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  at timestamptz NOT NULL DEFAULT now(),
  actor text NOT NULL,
  action text NOT NULL,
  summary_name text,
  statement text NOT NULL,
  outcome text NOT NULL CHECK (outcome IN ('ok', 'error')),
  error text,
  duration_ms double precision
);
CREATE INDEX IF NOT EXISTS audit_log_at_idx ON tally.audit_log (at DESC);

-- Which demo scale is loaded (written by `tally demo`), so a second start can skip it.
CREATE TABLE IF NOT EXISTS tally.settings (
  key text PRIMARY KEY,
  value jsonb NOT NULL,
  updated_at timestamptz NOT NULL DEFAULT now()
);
