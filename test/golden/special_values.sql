-- Golden SQL for case "special_values" (test/sqlgen/golden-cases.ts). Regenerate: UPDATE_GOLDEN=1 npx vitest run test/sqlgen/golden.test.ts

-- ######## warnings
-- [float_rounding] sum_x: a floating-point sum is maintained by addition and subtraction, so it can differ from a fresh sum in the last digits; compare with a tolerance
-- [float_rounding] avg_x: a floating-point avg is maintained by addition and subtraction, so it can differ from a fresh avg in the last digits; compare with a tolerance
-- [numeric_scale] sum_n: over unconstrained numeric, the running sum keeps the largest display scale it has seen (2.50 - 0.50 shows as 2.00, equal to 2); declare the column numeric(p, s) to avoid it

-- ######## concurrent indexes (before the install transaction)
-- (none)

-- ######## install
-- Tally summary "sample_stats": lab.sample_stats, kept exact by statement-level triggers on lab.samples.
--
-- Defining query (the visible columns of the summary table always equal its result):
--   SELECT
--     grp,
--     sum(x) AS sum_x,
--     avg(x) AS avg_x,
--     sum(n) AS sum_n,
--     avg(span) AS avg_span,
--     sum(span) AS sum_span,
--     sum(price) AS revenue
--   FROM lab.samples
--   GROUP BY 1
--
-- Run in one transaction with a short lock_timeout: CREATE TRIGGER takes a SHARE ROW EXCLUSIVE
-- lock on lab.samples (its writers wait) until COMMIT.
-- Grants expected: the installing role owns lab.sample_stats and the functions below, and has SELECT
-- and TRIGGER on lab.samples. The maintenance functions are SECURITY DEFINER with a pinned
-- search_path, so writers of lab.samples need no privilege on the summary; readers need only
--   GRANT SELECT ON lab.sample_stats TO <reader>;
-- Group locks: pg_advisory_xact_lock(-601670227, slot), slot = hash_record(ROW(keys)) & 1023;
-- a statement touching more than 64 slots takes (-601670227, -1) exclusively instead.

-- ==== Summary table ====

-- Visible columns = the defining query's; _tally_* columns are Tally's bookkeeping.
-- Every write to a group rewrites its row: free space on each page keeps those updates HOT.
CREATE TABLE lab.sample_stats (
  grp text NOT NULL,
  sum_x double precision GENERATED ALWAYS AS (CASE WHEN _tally_nan_sum_x > 0 OR (_tally_pinf_sum_x > 0 AND _tally_ninf_sum_x > 0) THEN 'NaN'::double precision WHEN _tally_pinf_sum_x > 0 THEN 'Infinity'::double precision WHEN _tally_ninf_sum_x > 0 THEN '-Infinity'::double precision ELSE _tally_sum_sum_x END) STORED,
  avg_x double precision GENERATED ALWAYS AS (CASE WHEN _tally_nan_avg_x > 0 OR (_tally_pinf_avg_x > 0 AND _tally_ninf_avg_x > 0) THEN 'NaN'::double precision WHEN _tally_pinf_avg_x > 0 THEN 'Infinity'::double precision WHEN _tally_ninf_avg_x > 0 THEN '-Infinity'::double precision ELSE _tally_sum_avg_x / NULLIF(_tally_nn_avg_x, 0)::double precision END) STORED,
  sum_n numeric GENERATED ALWAYS AS (CASE WHEN _tally_nan_sum_n > 0 OR (_tally_pinf_sum_n > 0 AND _tally_ninf_sum_n > 0) THEN 'NaN'::numeric WHEN _tally_pinf_sum_n > 0 THEN 'Infinity'::numeric WHEN _tally_ninf_sum_n > 0 THEN '-Infinity'::numeric ELSE _tally_sum_sum_n END) STORED,
  avg_span interval GENERATED ALWAYS AS (_tally_sum_avg_span / NULLIF(_tally_nn_avg_span, 0)::double precision) STORED,
  sum_span interval,
  revenue money,
  _tally_rows bigint NOT NULL,                      -- source rows in the group (passing WHERE)
  _tally_sum_sum_x double precision,                -- running sum of the finite values in sum_x
  _tally_nn_sum_x bigint NOT NULL,                  -- non-NULL values in sum_x
  _tally_nan_sum_x bigint NOT NULL,                 -- NaN values in sum_x
  _tally_pinf_sum_x bigint NOT NULL,                -- +Infinity values in sum_x
  _tally_ninf_sum_x bigint NOT NULL,                -- -Infinity values in sum_x
  _tally_sum_avg_x double precision,                -- running sum of the finite values behind avg_x
  _tally_nn_avg_x bigint NOT NULL,                  -- non-NULL values behind avg_x
  _tally_nan_avg_x bigint NOT NULL,                 -- NaN values in avg_x
  _tally_pinf_avg_x bigint NOT NULL,                -- +Infinity values in avg_x
  _tally_ninf_avg_x bigint NOT NULL,                -- -Infinity values in avg_x
  _tally_sum_sum_n numeric,                         -- running sum of the finite values in sum_n
  _tally_nn_sum_n bigint NOT NULL,                  -- non-NULL values in sum_n
  _tally_nan_sum_n bigint NOT NULL,                 -- NaN values in sum_n
  _tally_pinf_sum_n bigint NOT NULL,                -- +Infinity values in sum_n
  _tally_ninf_sum_n bigint NOT NULL,                -- -Infinity values in sum_n
  _tally_sum_avg_span interval,                     -- running sum behind avg_span
  _tally_nn_avg_span bigint NOT NULL,               -- non-NULL values behind avg_span
  _tally_nn_sum_span bigint NOT NULL,               -- non-NULL values in sum_span
  _tally_nn_revenue bigint NOT NULL                 -- non-NULL values in revenue
) WITH (fillfactor = 70);

COMMENT ON TABLE lab.sample_stats IS 'Tally summary "sample_stats", kept equal to this query by triggers on lab.samples:
SELECT
  grp,
  sum(x) AS sum_x,
  avg(x) AS avg_x,
  sum(n) AS sum_n,
  avg(span) AS avg_span,
  sum(span) AS sum_span,
  sum(price) AS revenue
FROM lab.samples
GROUP BY 1';

-- One row per group; NULL keys form a group, as in GROUP BY.
CREATE UNIQUE INDEX tally_sample_stats_key ON lab.sample_stats (grp) NULLS NOT DISTINCT;

-- ==== Guard: the summary table is read-only except to maintenance ====

CREATE FUNCTION lab.tally_sample_stats_guard() RETURNS trigger
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $tally$
-- Tally summary "sample_stats": refuses writes to lab.sample_stats that do not come from its maintenance.
#variable_conflict use_column
BEGIN
  -- Tally's backfill and repair mark their transaction: SET LOCAL tally.maintenance = 'sample_stats'
  IF pg_catalog.current_setting('tally.maintenance', true) IS NOT DISTINCT FROM 'sample_stats' THEN
    RETURN NULL;
  END IF;
  RAISE EXCEPTION USING
    ERRCODE = 'insufficient_privilege',
    MESSAGE = 'lab.sample_stats is a summary table maintained by Tally (summary "sample_stats"); it cannot be written directly',
    DETAIL = 'Only the triggers on lab.samples (and Tally''s backfill and repair) change it; a direct write would make it disagree with its defining query.',
    HINT = 'Write to lab.samples instead. To repair drift: tally reconcile sample_stats --repair';
END;
$tally$;

REVOKE ALL ON FUNCTION lab.tally_sample_stats_guard() FROM PUBLIC;

-- Direct writes fail with a clear error; the maintenance triggers pass without a function call.
CREATE TRIGGER tally_000_guard
  BEFORE INSERT OR UPDATE OR DELETE OR TRUNCATE ON lab.sample_stats
  FOR EACH STATEMENT
  WHEN (pg_catalog.pg_trigger_depth() < 1)
  EXECUTE FUNCTION lab.tally_sample_stats_guard();

-- ==== Maintenance functions (one per source event) ====

CREATE FUNCTION lab.tally_sample_stats_ins() RETURNS trigger
LANGUAGE plpgsql
SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $tally$
-- Tally summary "sample_stats": keeps lab.sample_stats exact after INSERT on lab.samples.
-- Runs once per statement and sees all its rows in the transition table(s).
#variable_conflict use_column
DECLARE
  _tally_slots integer[];
BEGIN
  -- Lock the groups this statement touches before reading or writing them: one lock per slot
  -- (hash of the group key), taken in ascending order so writers cannot deadlock.
  _tally_slots := ARRAY(
    SELECT DISTINCT pg_catalog.hash_record(ROW(grp)) & 1023 AS slot FROM _tally_new
    ORDER BY 1
  );
  IF _tally_slots = '{}' THEN
    RETURN NULL; -- no row passes the summary's WHERE: nothing to maintain
  END IF;
  IF pg_catalog.cardinality(_tally_slots) > 64 THEN
    IF NOT EXISTS (SELECT 1 FROM pg_catalog.pg_locks AS l WHERE l.locktype = 'advisory' AND l.pid = pg_catalog.pg_backend_pid() AND l.classid = 3693297069 AND l.objid = 4294967295 AND l.objsubid = 2 AND l.mode = 'ShareLock') THEN
      -- many groups: one summary-wide exclusive lock instead of one lock per slot (not when this
      -- transaction already holds it shared: upgrading would deadlock with another such transaction)
      PERFORM pg_catalog.pg_advisory_xact_lock(-601670227, -1);
    ELSE
      PERFORM pg_catalog.pg_advisory_xact_lock_shared(-601670227, -1), pg_catalog.pg_advisory_xact_lock(-601670227, slot)
      FROM pg_catalog.unnest(_tally_slots) AS slot;
    END IF;
  ELSE
    -- the wide key in shared mode (re-taking a held lock is free), then each slot, in array order
    PERFORM pg_catalog.pg_advisory_xact_lock_shared(-601670227, -1), pg_catalog.pg_advisory_xact_lock(-601670227, slot)
    FROM pg_catalog.unnest(_tally_slots) AS slot;
  END IF;

  -- Add the new rows' per-group partial aggregates to their groups (creating new groups).
  INSERT INTO lab.sample_stats AS s (grp, sum_span, revenue, _tally_rows, _tally_sum_sum_x, _tally_nn_sum_x, _tally_nan_sum_x, _tally_pinf_sum_x, _tally_ninf_sum_x, _tally_sum_avg_x, _tally_nn_avg_x, _tally_nan_avg_x, _tally_pinf_avg_x, _tally_ninf_avg_x, _tally_sum_sum_n, _tally_nn_sum_n, _tally_nan_sum_n, _tally_pinf_sum_n, _tally_ninf_sum_n, _tally_sum_avg_span, _tally_nn_avg_span, _tally_nn_sum_span, _tally_nn_revenue)
  SELECT
    grp,
    sum(span) AS sum_span,
    sum(price) AS revenue,
    count(*) AS _tally_rows,
    sum(x) FILTER (WHERE (x) NOT IN ('NaN', 'Infinity', '-Infinity')) AS _tally_sum_sum_x,
    count(x) AS _tally_nn_sum_x,
    count(*) FILTER (WHERE (x) = 'NaN') AS _tally_nan_sum_x,
    count(*) FILTER (WHERE (x) = 'Infinity') AS _tally_pinf_sum_x,
    count(*) FILTER (WHERE (x) = '-Infinity') AS _tally_ninf_sum_x,
    sum(x) FILTER (WHERE (x) NOT IN ('NaN', 'Infinity', '-Infinity')) AS _tally_sum_avg_x,
    count(x) AS _tally_nn_avg_x,
    count(*) FILTER (WHERE (x) = 'NaN') AS _tally_nan_avg_x,
    count(*) FILTER (WHERE (x) = 'Infinity') AS _tally_pinf_avg_x,
    count(*) FILTER (WHERE (x) = '-Infinity') AS _tally_ninf_avg_x,
    sum(n) FILTER (WHERE (n) NOT IN ('NaN', 'Infinity', '-Infinity')) AS _tally_sum_sum_n,
    count(n) AS _tally_nn_sum_n,
    count(*) FILTER (WHERE (n) = 'NaN') AS _tally_nan_sum_n,
    count(*) FILTER (WHERE (n) = 'Infinity') AS _tally_pinf_sum_n,
    count(*) FILTER (WHERE (n) = '-Infinity') AS _tally_ninf_sum_n,
    sum(span) AS _tally_sum_avg_span,
    count(span) AS _tally_nn_avg_span,
    count(span) AS _tally_nn_sum_span,
    count(price) AS _tally_nn_revenue
  FROM _tally_new
  GROUP BY 1
  ON CONFLICT (grp) DO UPDATE SET
    sum_span = COALESCE(s.sum_span + EXCLUDED.sum_span, s.sum_span, EXCLUDED.sum_span),
    revenue = COALESCE(s.revenue + EXCLUDED.revenue, s.revenue, EXCLUDED.revenue),
    _tally_rows = s._tally_rows + EXCLUDED._tally_rows,
    _tally_sum_sum_x = COALESCE(s._tally_sum_sum_x + EXCLUDED._tally_sum_sum_x, s._tally_sum_sum_x, EXCLUDED._tally_sum_sum_x),
    _tally_nn_sum_x = s._tally_nn_sum_x + EXCLUDED._tally_nn_sum_x,
    _tally_nan_sum_x = s._tally_nan_sum_x + EXCLUDED._tally_nan_sum_x,
    _tally_pinf_sum_x = s._tally_pinf_sum_x + EXCLUDED._tally_pinf_sum_x,
    _tally_ninf_sum_x = s._tally_ninf_sum_x + EXCLUDED._tally_ninf_sum_x,
    _tally_sum_avg_x = COALESCE(s._tally_sum_avg_x + EXCLUDED._tally_sum_avg_x, s._tally_sum_avg_x, EXCLUDED._tally_sum_avg_x),
    _tally_nn_avg_x = s._tally_nn_avg_x + EXCLUDED._tally_nn_avg_x,
    _tally_nan_avg_x = s._tally_nan_avg_x + EXCLUDED._tally_nan_avg_x,
    _tally_pinf_avg_x = s._tally_pinf_avg_x + EXCLUDED._tally_pinf_avg_x,
    _tally_ninf_avg_x = s._tally_ninf_avg_x + EXCLUDED._tally_ninf_avg_x,
    _tally_sum_sum_n = COALESCE(s._tally_sum_sum_n + EXCLUDED._tally_sum_sum_n, s._tally_sum_sum_n, EXCLUDED._tally_sum_sum_n),
    _tally_nn_sum_n = s._tally_nn_sum_n + EXCLUDED._tally_nn_sum_n,
    _tally_nan_sum_n = s._tally_nan_sum_n + EXCLUDED._tally_nan_sum_n,
    _tally_pinf_sum_n = s._tally_pinf_sum_n + EXCLUDED._tally_pinf_sum_n,
    _tally_ninf_sum_n = s._tally_ninf_sum_n + EXCLUDED._tally_ninf_sum_n,
    _tally_sum_avg_span = COALESCE(s._tally_sum_avg_span + EXCLUDED._tally_sum_avg_span, s._tally_sum_avg_span, EXCLUDED._tally_sum_avg_span),
    _tally_nn_avg_span = s._tally_nn_avg_span + EXCLUDED._tally_nn_avg_span,
    _tally_nn_sum_span = s._tally_nn_sum_span + EXCLUDED._tally_nn_sum_span,
    _tally_nn_revenue = s._tally_nn_revenue + EXCLUDED._tally_nn_revenue;
  RETURN NULL;
END;
$tally$;

REVOKE ALL ON FUNCTION lab.tally_sample_stats_ins() FROM PUBLIC;

CREATE FUNCTION lab.tally_sample_stats_upd() RETURNS trigger
LANGUAGE plpgsql
SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $tally$
-- Tally summary "sample_stats": keeps lab.sample_stats exact after UPDATE on lab.samples.
-- Runs once per statement and sees all its rows in the transition table(s).
#variable_conflict use_column
DECLARE
  _tally_slots integer[];
  _tally_gone tid[];
BEGIN
  -- Lock the groups this statement touches before reading or writing them: one lock per slot
  -- (hash of the group key), taken in ascending order so writers cannot deadlock.
  _tally_slots := ARRAY(
    SELECT pg_catalog.hash_record(ROW(grp)) & 1023 AS slot FROM _tally_new
    UNION
    SELECT pg_catalog.hash_record(ROW(grp)) & 1023 AS slot FROM _tally_old
    ORDER BY 1
  );
  IF _tally_slots = '{}' THEN
    RETURN NULL; -- no row passes the summary's WHERE: nothing to maintain
  END IF;
  IF pg_catalog.cardinality(_tally_slots) > 64 THEN
    IF NOT EXISTS (SELECT 1 FROM pg_catalog.pg_locks AS l WHERE l.locktype = 'advisory' AND l.pid = pg_catalog.pg_backend_pid() AND l.classid = 3693297069 AND l.objid = 4294967295 AND l.objsubid = 2 AND l.mode = 'ShareLock') THEN
      -- many groups: one summary-wide exclusive lock instead of one lock per slot (not when this
      -- transaction already holds it shared: upgrading would deadlock with another such transaction)
      PERFORM pg_catalog.pg_advisory_xact_lock(-601670227, -1);
    ELSE
      PERFORM pg_catalog.pg_advisory_xact_lock_shared(-601670227, -1), pg_catalog.pg_advisory_xact_lock(-601670227, slot)
      FROM pg_catalog.unnest(_tally_slots) AS slot;
    END IF;
  ELSE
    -- the wide key in shared mode (re-taking a held lock is free), then each slot, in array order
    PERFORM pg_catalog.pg_advisory_xact_lock_shared(-601670227, -1), pg_catalog.pg_advisory_xact_lock(-601670227, slot)
    FROM pg_catalog.unnest(_tally_slots) AS slot;
  END IF;

  -- Add what the new row versions contribute and subtract what the old ones did, per group;
  -- groups whose aggregates do not change are skipped.
  -- Collect the groups left empty (deleted below).
  WITH changed AS (
    INSERT INTO lab.sample_stats AS s (grp, sum_span, revenue, _tally_rows, _tally_sum_sum_x, _tally_nn_sum_x, _tally_nan_sum_x, _tally_pinf_sum_x, _tally_ninf_sum_x, _tally_sum_avg_x, _tally_nn_avg_x, _tally_nan_avg_x, _tally_pinf_avg_x, _tally_ninf_avg_x, _tally_sum_sum_n, _tally_nn_sum_n, _tally_nan_sum_n, _tally_pinf_sum_n, _tally_ninf_sum_n, _tally_sum_avg_span, _tally_nn_avg_span, _tally_nn_sum_span, _tally_nn_revenue)
    SELECT *
    FROM (
      SELECT
        grp,
        sum(span * _tally_sign) AS sum_span,
        sum(price * _tally_sign) AS revenue,
        sum(_tally_sign) AS _tally_rows,
        sum(x * _tally_sign) FILTER (WHERE (x) NOT IN ('NaN', 'Infinity', '-Infinity')) AS _tally_sum_sum_x,
        count(x) FILTER (WHERE _tally_sign > 0) - count(x) FILTER (WHERE _tally_sign < 0) AS _tally_nn_sum_x,
        count(*) FILTER (WHERE _tally_sign > 0 AND ((x) = 'NaN')) - count(*) FILTER (WHERE _tally_sign < 0 AND ((x) = 'NaN')) AS _tally_nan_sum_x,
        count(*) FILTER (WHERE _tally_sign > 0 AND ((x) = 'Infinity')) - count(*) FILTER (WHERE _tally_sign < 0 AND ((x) = 'Infinity')) AS _tally_pinf_sum_x,
        count(*) FILTER (WHERE _tally_sign > 0 AND ((x) = '-Infinity')) - count(*) FILTER (WHERE _tally_sign < 0 AND ((x) = '-Infinity')) AS _tally_ninf_sum_x,
        sum(x * _tally_sign) FILTER (WHERE (x) NOT IN ('NaN', 'Infinity', '-Infinity')) AS _tally_sum_avg_x,
        count(x) FILTER (WHERE _tally_sign > 0) - count(x) FILTER (WHERE _tally_sign < 0) AS _tally_nn_avg_x,
        count(*) FILTER (WHERE _tally_sign > 0 AND ((x) = 'NaN')) - count(*) FILTER (WHERE _tally_sign < 0 AND ((x) = 'NaN')) AS _tally_nan_avg_x,
        count(*) FILTER (WHERE _tally_sign > 0 AND ((x) = 'Infinity')) - count(*) FILTER (WHERE _tally_sign < 0 AND ((x) = 'Infinity')) AS _tally_pinf_avg_x,
        count(*) FILTER (WHERE _tally_sign > 0 AND ((x) = '-Infinity')) - count(*) FILTER (WHERE _tally_sign < 0 AND ((x) = '-Infinity')) AS _tally_ninf_avg_x,
        sum(n * _tally_sign) FILTER (WHERE (n) NOT IN ('NaN', 'Infinity', '-Infinity')) AS _tally_sum_sum_n,
        count(n) FILTER (WHERE _tally_sign > 0) - count(n) FILTER (WHERE _tally_sign < 0) AS _tally_nn_sum_n,
        count(*) FILTER (WHERE _tally_sign > 0 AND ((n) = 'NaN')) - count(*) FILTER (WHERE _tally_sign < 0 AND ((n) = 'NaN')) AS _tally_nan_sum_n,
        count(*) FILTER (WHERE _tally_sign > 0 AND ((n) = 'Infinity')) - count(*) FILTER (WHERE _tally_sign < 0 AND ((n) = 'Infinity')) AS _tally_pinf_sum_n,
        count(*) FILTER (WHERE _tally_sign > 0 AND ((n) = '-Infinity')) - count(*) FILTER (WHERE _tally_sign < 0 AND ((n) = '-Infinity')) AS _tally_ninf_sum_n,
        sum(span * _tally_sign) AS _tally_sum_avg_span,
        count(span) FILTER (WHERE _tally_sign > 0) - count(span) FILTER (WHERE _tally_sign < 0) AS _tally_nn_avg_span,
        count(span) FILTER (WHERE _tally_sign > 0) - count(span) FILTER (WHERE _tally_sign < 0) AS _tally_nn_sum_span,
        count(price) FILTER (WHERE _tally_sign > 0) - count(price) FILTER (WHERE _tally_sign < 0) AS _tally_nn_revenue
      FROM (
        SELECT t.*, 1::bigint AS _tally_sign FROM _tally_new AS t
        UNION ALL
        SELECT t.*, -1 FROM _tally_old AS t
      ) AS d
      GROUP BY 1
    ) AS g
    WHERE g.sum_span <> '00:00:00'::interval
       OR g.revenue <> 0::money
       OR g._tally_rows <> 0
       OR g._tally_sum_sum_x <> 0
       OR g._tally_nn_sum_x <> 0
       OR g._tally_nan_sum_x <> 0
       OR g._tally_pinf_sum_x <> 0
       OR g._tally_ninf_sum_x <> 0
       OR g._tally_sum_avg_x <> 0
       OR g._tally_nn_avg_x <> 0
       OR g._tally_nan_avg_x <> 0
       OR g._tally_pinf_avg_x <> 0
       OR g._tally_ninf_avg_x <> 0
       OR g._tally_sum_sum_n <> 0
       OR g._tally_nn_sum_n <> 0
       OR g._tally_nan_sum_n <> 0
       OR g._tally_pinf_sum_n <> 0
       OR g._tally_ninf_sum_n <> 0
       OR g._tally_sum_avg_span <> '00:00:00'::interval
       OR g._tally_nn_avg_span <> 0
       OR g._tally_nn_sum_span <> 0
       OR g._tally_nn_revenue <> 0
    ON CONFLICT (grp) DO UPDATE SET
      sum_span = CASE WHEN s._tally_nn_sum_span + EXCLUDED._tally_nn_sum_span = 0 THEN NULL ELSE COALESCE(s.sum_span + EXCLUDED.sum_span, s.sum_span, EXCLUDED.sum_span) END,
      revenue = CASE WHEN s._tally_nn_revenue + EXCLUDED._tally_nn_revenue = 0 THEN NULL ELSE COALESCE(s.revenue + EXCLUDED.revenue, s.revenue, EXCLUDED.revenue) END,
      _tally_rows = s._tally_rows + EXCLUDED._tally_rows,
      _tally_sum_sum_x = CASE WHEN s._tally_nn_sum_x + EXCLUDED._tally_nn_sum_x = 0 THEN NULL ELSE COALESCE(s._tally_sum_sum_x + EXCLUDED._tally_sum_sum_x, s._tally_sum_sum_x, EXCLUDED._tally_sum_sum_x) END,
      _tally_nn_sum_x = s._tally_nn_sum_x + EXCLUDED._tally_nn_sum_x,
      _tally_nan_sum_x = s._tally_nan_sum_x + EXCLUDED._tally_nan_sum_x,
      _tally_pinf_sum_x = s._tally_pinf_sum_x + EXCLUDED._tally_pinf_sum_x,
      _tally_ninf_sum_x = s._tally_ninf_sum_x + EXCLUDED._tally_ninf_sum_x,
      _tally_sum_avg_x = CASE WHEN s._tally_nn_avg_x + EXCLUDED._tally_nn_avg_x = 0 THEN NULL ELSE COALESCE(s._tally_sum_avg_x + EXCLUDED._tally_sum_avg_x, s._tally_sum_avg_x, EXCLUDED._tally_sum_avg_x) END,
      _tally_nn_avg_x = s._tally_nn_avg_x + EXCLUDED._tally_nn_avg_x,
      _tally_nan_avg_x = s._tally_nan_avg_x + EXCLUDED._tally_nan_avg_x,
      _tally_pinf_avg_x = s._tally_pinf_avg_x + EXCLUDED._tally_pinf_avg_x,
      _tally_ninf_avg_x = s._tally_ninf_avg_x + EXCLUDED._tally_ninf_avg_x,
      _tally_sum_sum_n = CASE WHEN s._tally_nn_sum_n + EXCLUDED._tally_nn_sum_n = 0 THEN NULL ELSE COALESCE(s._tally_sum_sum_n + EXCLUDED._tally_sum_sum_n, s._tally_sum_sum_n, EXCLUDED._tally_sum_sum_n) END,
      _tally_nn_sum_n = s._tally_nn_sum_n + EXCLUDED._tally_nn_sum_n,
      _tally_nan_sum_n = s._tally_nan_sum_n + EXCLUDED._tally_nan_sum_n,
      _tally_pinf_sum_n = s._tally_pinf_sum_n + EXCLUDED._tally_pinf_sum_n,
      _tally_ninf_sum_n = s._tally_ninf_sum_n + EXCLUDED._tally_ninf_sum_n,
      _tally_sum_avg_span = CASE WHEN s._tally_nn_avg_span + EXCLUDED._tally_nn_avg_span = 0 THEN NULL ELSE COALESCE(s._tally_sum_avg_span + EXCLUDED._tally_sum_avg_span, s._tally_sum_avg_span, EXCLUDED._tally_sum_avg_span) END,
      _tally_nn_avg_span = s._tally_nn_avg_span + EXCLUDED._tally_nn_avg_span,
      _tally_nn_sum_span = s._tally_nn_sum_span + EXCLUDED._tally_nn_sum_span,
      _tally_nn_revenue = s._tally_nn_revenue + EXCLUDED._tally_nn_revenue
    RETURNING s.ctid AS row_id, s._tally_rows AS group_rows
  )
  SELECT array_agg(row_id) FILTER (WHERE group_rows <= 0)
  INTO _tally_gone
  FROM changed;

  -- A group with no rows left disappears, as it does from the defining query.
  IF _tally_gone IS NOT NULL THEN
    DELETE FROM lab.sample_stats WHERE ctid = ANY (_tally_gone);
  END IF;
  RETURN NULL;
END;
$tally$;

REVOKE ALL ON FUNCTION lab.tally_sample_stats_upd() FROM PUBLIC;

CREATE FUNCTION lab.tally_sample_stats_del() RETURNS trigger
LANGUAGE plpgsql
SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $tally$
-- Tally summary "sample_stats": keeps lab.sample_stats exact after DELETE on lab.samples.
-- Runs once per statement and sees all its rows in the transition table(s).
#variable_conflict use_column
DECLARE
  _tally_slots integer[];
  _tally_gone tid[];
BEGIN
  -- Lock the groups this statement touches before reading or writing them: one lock per slot
  -- (hash of the group key), taken in ascending order so writers cannot deadlock.
  _tally_slots := ARRAY(
    SELECT DISTINCT pg_catalog.hash_record(ROW(grp)) & 1023 AS slot FROM _tally_old
    ORDER BY 1
  );
  IF _tally_slots = '{}' THEN
    RETURN NULL; -- no row passes the summary's WHERE: nothing to maintain
  END IF;
  IF pg_catalog.cardinality(_tally_slots) > 64 THEN
    IF NOT EXISTS (SELECT 1 FROM pg_catalog.pg_locks AS l WHERE l.locktype = 'advisory' AND l.pid = pg_catalog.pg_backend_pid() AND l.classid = 3693297069 AND l.objid = 4294967295 AND l.objsubid = 2 AND l.mode = 'ShareLock') THEN
      -- many groups: one summary-wide exclusive lock instead of one lock per slot (not when this
      -- transaction already holds it shared: upgrading would deadlock with another such transaction)
      PERFORM pg_catalog.pg_advisory_xact_lock(-601670227, -1);
    ELSE
      PERFORM pg_catalog.pg_advisory_xact_lock_shared(-601670227, -1), pg_catalog.pg_advisory_xact_lock(-601670227, slot)
      FROM pg_catalog.unnest(_tally_slots) AS slot;
    END IF;
  ELSE
    -- the wide key in shared mode (re-taking a held lock is free), then each slot, in array order
    PERFORM pg_catalog.pg_advisory_xact_lock_shared(-601670227, -1), pg_catalog.pg_advisory_xact_lock(-601670227, slot)
    FROM pg_catalog.unnest(_tally_slots) AS slot;
  END IF;

  -- Subtract the deleted rows' per-group partial aggregates from their groups.
  -- Collect the groups left empty (deleted below).
  WITH changed AS (
    INSERT INTO lab.sample_stats AS s (grp, sum_span, revenue, _tally_rows, _tally_sum_sum_x, _tally_nn_sum_x, _tally_nan_sum_x, _tally_pinf_sum_x, _tally_ninf_sum_x, _tally_sum_avg_x, _tally_nn_avg_x, _tally_nan_avg_x, _tally_pinf_avg_x, _tally_ninf_avg_x, _tally_sum_sum_n, _tally_nn_sum_n, _tally_nan_sum_n, _tally_pinf_sum_n, _tally_ninf_sum_n, _tally_sum_avg_span, _tally_nn_avg_span, _tally_nn_sum_span, _tally_nn_revenue)
    SELECT
      grp,
      -sum(span) AS sum_span,
      (sum(price)) * -1 AS revenue,
      -count(*) AS _tally_rows,
      -sum(x) FILTER (WHERE (x) NOT IN ('NaN', 'Infinity', '-Infinity')) AS _tally_sum_sum_x,
      -count(x) AS _tally_nn_sum_x,
      -count(*) FILTER (WHERE (x) = 'NaN') AS _tally_nan_sum_x,
      -count(*) FILTER (WHERE (x) = 'Infinity') AS _tally_pinf_sum_x,
      -count(*) FILTER (WHERE (x) = '-Infinity') AS _tally_ninf_sum_x,
      -sum(x) FILTER (WHERE (x) NOT IN ('NaN', 'Infinity', '-Infinity')) AS _tally_sum_avg_x,
      -count(x) AS _tally_nn_avg_x,
      -count(*) FILTER (WHERE (x) = 'NaN') AS _tally_nan_avg_x,
      -count(*) FILTER (WHERE (x) = 'Infinity') AS _tally_pinf_avg_x,
      -count(*) FILTER (WHERE (x) = '-Infinity') AS _tally_ninf_avg_x,
      -sum(n) FILTER (WHERE (n) NOT IN ('NaN', 'Infinity', '-Infinity')) AS _tally_sum_sum_n,
      -count(n) AS _tally_nn_sum_n,
      -count(*) FILTER (WHERE (n) = 'NaN') AS _tally_nan_sum_n,
      -count(*) FILTER (WHERE (n) = 'Infinity') AS _tally_pinf_sum_n,
      -count(*) FILTER (WHERE (n) = '-Infinity') AS _tally_ninf_sum_n,
      -sum(span) AS _tally_sum_avg_span,
      -count(span) AS _tally_nn_avg_span,
      -count(span) AS _tally_nn_sum_span,
      -count(price) AS _tally_nn_revenue
    FROM _tally_old
    GROUP BY 1
    ON CONFLICT (grp) DO UPDATE SET
      sum_span = CASE WHEN s._tally_nn_sum_span + EXCLUDED._tally_nn_sum_span = 0 THEN NULL ELSE COALESCE(s.sum_span + EXCLUDED.sum_span, s.sum_span, EXCLUDED.sum_span) END,
      revenue = CASE WHEN s._tally_nn_revenue + EXCLUDED._tally_nn_revenue = 0 THEN NULL ELSE COALESCE(s.revenue + EXCLUDED.revenue, s.revenue, EXCLUDED.revenue) END,
      _tally_rows = s._tally_rows + EXCLUDED._tally_rows,
      _tally_sum_sum_x = CASE WHEN s._tally_nn_sum_x + EXCLUDED._tally_nn_sum_x = 0 THEN NULL ELSE COALESCE(s._tally_sum_sum_x + EXCLUDED._tally_sum_sum_x, s._tally_sum_sum_x, EXCLUDED._tally_sum_sum_x) END,
      _tally_nn_sum_x = s._tally_nn_sum_x + EXCLUDED._tally_nn_sum_x,
      _tally_nan_sum_x = s._tally_nan_sum_x + EXCLUDED._tally_nan_sum_x,
      _tally_pinf_sum_x = s._tally_pinf_sum_x + EXCLUDED._tally_pinf_sum_x,
      _tally_ninf_sum_x = s._tally_ninf_sum_x + EXCLUDED._tally_ninf_sum_x,
      _tally_sum_avg_x = CASE WHEN s._tally_nn_avg_x + EXCLUDED._tally_nn_avg_x = 0 THEN NULL ELSE COALESCE(s._tally_sum_avg_x + EXCLUDED._tally_sum_avg_x, s._tally_sum_avg_x, EXCLUDED._tally_sum_avg_x) END,
      _tally_nn_avg_x = s._tally_nn_avg_x + EXCLUDED._tally_nn_avg_x,
      _tally_nan_avg_x = s._tally_nan_avg_x + EXCLUDED._tally_nan_avg_x,
      _tally_pinf_avg_x = s._tally_pinf_avg_x + EXCLUDED._tally_pinf_avg_x,
      _tally_ninf_avg_x = s._tally_ninf_avg_x + EXCLUDED._tally_ninf_avg_x,
      _tally_sum_sum_n = CASE WHEN s._tally_nn_sum_n + EXCLUDED._tally_nn_sum_n = 0 THEN NULL ELSE COALESCE(s._tally_sum_sum_n + EXCLUDED._tally_sum_sum_n, s._tally_sum_sum_n, EXCLUDED._tally_sum_sum_n) END,
      _tally_nn_sum_n = s._tally_nn_sum_n + EXCLUDED._tally_nn_sum_n,
      _tally_nan_sum_n = s._tally_nan_sum_n + EXCLUDED._tally_nan_sum_n,
      _tally_pinf_sum_n = s._tally_pinf_sum_n + EXCLUDED._tally_pinf_sum_n,
      _tally_ninf_sum_n = s._tally_ninf_sum_n + EXCLUDED._tally_ninf_sum_n,
      _tally_sum_avg_span = CASE WHEN s._tally_nn_avg_span + EXCLUDED._tally_nn_avg_span = 0 THEN NULL ELSE COALESCE(s._tally_sum_avg_span + EXCLUDED._tally_sum_avg_span, s._tally_sum_avg_span, EXCLUDED._tally_sum_avg_span) END,
      _tally_nn_avg_span = s._tally_nn_avg_span + EXCLUDED._tally_nn_avg_span,
      _tally_nn_sum_span = s._tally_nn_sum_span + EXCLUDED._tally_nn_sum_span,
      _tally_nn_revenue = s._tally_nn_revenue + EXCLUDED._tally_nn_revenue
    RETURNING s.ctid AS row_id, s._tally_rows AS group_rows
  )
  SELECT array_agg(row_id) FILTER (WHERE group_rows <= 0)
  INTO _tally_gone
  FROM changed;

  -- A group with no rows left disappears, as it does from the defining query.
  IF _tally_gone IS NOT NULL THEN
    DELETE FROM lab.sample_stats WHERE ctid = ANY (_tally_gone);
  END IF;
  RETURN NULL;
END;
$tally$;

REVOKE ALL ON FUNCTION lab.tally_sample_stats_del() FROM PUBLIC;

CREATE FUNCTION lab.tally_sample_stats_trunc() RETURNS trigger
LANGUAGE plpgsql
SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $tally$
-- Tally summary "sample_stats": keeps lab.sample_stats exact after TRUNCATE on lab.samples.
-- Runs once per statement.
#variable_conflict use_column
BEGIN
  -- Every group changes: take the summary-wide lock exclusively.
  PERFORM pg_catalog.pg_advisory_xact_lock(-601670227, -1);

  -- The source is empty: so is every group.
  DELETE FROM lab.sample_stats;
  RETURN NULL;
END;
$tally$;

REVOKE ALL ON FUNCTION lab.tally_sample_stats_trunc() FROM PUBLIC;

-- ==== Statement-level triggers on the source (SHARE ROW EXCLUSIVE lock on it until COMMIT) ====

CREATE TRIGGER tally_100_sample_stats_ins
  AFTER INSERT ON lab.samples
  REFERENCING NEW TABLE AS _tally_new
  FOR EACH STATEMENT
  EXECUTE FUNCTION lab.tally_sample_stats_ins();

CREATE TRIGGER tally_100_sample_stats_upd
  AFTER UPDATE ON lab.samples
  REFERENCING OLD TABLE AS _tally_old NEW TABLE AS _tally_new
  FOR EACH STATEMENT
  EXECUTE FUNCTION lab.tally_sample_stats_upd();

CREATE TRIGGER tally_100_sample_stats_del
  AFTER DELETE ON lab.samples
  REFERENCING OLD TABLE AS _tally_old
  FOR EACH STATEMENT
  EXECUTE FUNCTION lab.tally_sample_stats_del();

CREATE TRIGGER tally_100_sample_stats_trunc
  AFTER TRUNCATE ON lab.samples
  FOR EACH STATEMENT
  EXECUTE FUNCTION lab.tally_sample_stats_trunc();

-- ######## populate
-- ==== Populate from the source (optional; same transaction, after the triggers) ====

-- lets this transaction write the summary
SET LOCAL tally.maintenance = 'sample_stats';

INSERT INTO lab.sample_stats (grp, sum_span, revenue, _tally_rows, _tally_sum_sum_x, _tally_nn_sum_x, _tally_nan_sum_x, _tally_pinf_sum_x, _tally_ninf_sum_x, _tally_sum_avg_x, _tally_nn_avg_x, _tally_nan_avg_x, _tally_pinf_avg_x, _tally_ninf_avg_x, _tally_sum_sum_n, _tally_nn_sum_n, _tally_nan_sum_n, _tally_pinf_sum_n, _tally_ninf_sum_n, _tally_sum_avg_span, _tally_nn_avg_span, _tally_nn_sum_span, _tally_nn_revenue)
SELECT
  grp,
  sum(span) AS sum_span,
  sum(price) AS revenue,
  count(*) AS _tally_rows,
  sum(x) FILTER (WHERE (x) NOT IN ('NaN', 'Infinity', '-Infinity')) AS _tally_sum_sum_x,
  count(x) AS _tally_nn_sum_x,
  count(*) FILTER (WHERE (x) = 'NaN') AS _tally_nan_sum_x,
  count(*) FILTER (WHERE (x) = 'Infinity') AS _tally_pinf_sum_x,
  count(*) FILTER (WHERE (x) = '-Infinity') AS _tally_ninf_sum_x,
  sum(x) FILTER (WHERE (x) NOT IN ('NaN', 'Infinity', '-Infinity')) AS _tally_sum_avg_x,
  count(x) AS _tally_nn_avg_x,
  count(*) FILTER (WHERE (x) = 'NaN') AS _tally_nan_avg_x,
  count(*) FILTER (WHERE (x) = 'Infinity') AS _tally_pinf_avg_x,
  count(*) FILTER (WHERE (x) = '-Infinity') AS _tally_ninf_avg_x,
  sum(n) FILTER (WHERE (n) NOT IN ('NaN', 'Infinity', '-Infinity')) AS _tally_sum_sum_n,
  count(n) AS _tally_nn_sum_n,
  count(*) FILTER (WHERE (n) = 'NaN') AS _tally_nan_sum_n,
  count(*) FILTER (WHERE (n) = 'Infinity') AS _tally_pinf_sum_n,
  count(*) FILTER (WHERE (n) = '-Infinity') AS _tally_ninf_sum_n,
  sum(span) AS _tally_sum_avg_span,
  count(span) AS _tally_nn_avg_span,
  count(span) AS _tally_nn_sum_span,
  count(price) AS _tally_nn_revenue
FROM lab.samples
GROUP BY 1;

-- ######## uninstall
-- Removes Tally summary "sample_stats": triggers first (maintenance stops), then the table and functions.
DROP TRIGGER IF EXISTS tally_100_sample_stats_ins ON lab.samples;
DROP TRIGGER IF EXISTS tally_100_sample_stats_upd ON lab.samples;
DROP TRIGGER IF EXISTS tally_100_sample_stats_del ON lab.samples;
DROP TRIGGER IF EXISTS tally_100_sample_stats_trunc ON lab.samples;
DROP TABLE IF EXISTS lab.sample_stats;
DROP FUNCTION IF EXISTS lab.tally_sample_stats_guard();
DROP FUNCTION IF EXISTS lab.tally_sample_stats_ins();
DROP FUNCTION IF EXISTS lab.tally_sample_stats_upd();
DROP FUNCTION IF EXISTS lab.tally_sample_stats_del();
DROP FUNCTION IF EXISTS lab.tally_sample_stats_trunc();
