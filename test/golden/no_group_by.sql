-- Golden SQL for case "no_group_by" (test/sqlgen/golden-cases.ts). Regenerate: UPDATE_GOLDEN=1 npx vitest run test/sqlgen/golden.test.ts

-- ######## warnings
-- [recompute_scans_source] without GROUP BY, recomputing lowest, highest, sensors, all_ok (after a removed min/max, or any change for count(DISTINCT …)/array_agg) reads all of metrics.readings

-- ######## concurrent indexes (before the install transaction)
-- (none)

-- ######## install
-- Tally summary "readings_total": metrics.readings_total, kept exact by statement-level triggers on metrics.readings.
--
-- Defining query (the visible columns of the summary table always equal its result):
--   SELECT
--     count(*) AS n,
--     sum(value) AS total,
--     min(value) AS lowest,
--     max(value) AS highest,
--     avg(value) AS mean,
--     count(DISTINCT sensor) AS sensors,
--     bool_and(ok) AS all_ok
--   FROM metrics.readings
--   WHERE sensor IS NOT NULL
--
-- Run in one transaction with a short lock_timeout: CREATE TRIGGER takes a SHARE ROW EXCLUSIVE
-- lock on metrics.readings (its writers wait) until COMMIT.
-- Grants expected: the installing role owns metrics.readings_total and the functions below, and has SELECT
-- and TRIGGER on metrics.readings. The maintenance functions are SECURITY DEFINER with a pinned
-- search_path, so writers of metrics.readings need no privilege on the summary; readers need only
--   GRANT SELECT ON metrics.readings_total TO <reader>;
-- Group locks: pg_advisory_xact_lock(423452281, slot), slot = hash_record(ROW(keys)) & 1023;
-- a statement touching more than 64 slots takes (423452281, -1) exclusively instead.

-- ==== Summary table ====

-- Visible columns = the defining query's; _tally_* columns are Tally's bookkeeping.
-- Every write to a group rewrites its row: free space on each page keeps those updates HOT.
CREATE TABLE metrics.readings_total (
  n bigint,
  total bigint,
  lowest integer,
  highest integer,
  mean numeric GENERATED ALWAYS AS (_tally_sum_mean::numeric / NULLIF(_tally_nn_mean, 0)::numeric) STORED,
  sensors bigint,
  all_ok boolean,
  _tally_rows bigint NOT NULL,                      -- source rows in the group (passing WHERE)
  _tally_nn_total bigint NOT NULL,                  -- non-NULL values in total
  _tally_removed_lowest integer,                    -- NULL at rest; a removed min value while lowest is recomputed
  _tally_removed_highest integer,                   -- NULL at rest; a removed max value while highest is recomputed
  _tally_sum_mean bigint,                           -- running sum behind mean
  _tally_nn_mean bigint NOT NULL,                   -- non-NULL values behind mean
  _tally_removed_all_ok boolean                     -- NULL at rest; a removed bool_and value while all_ok is recomputed
) WITH (fillfactor = 70);

COMMENT ON TABLE metrics.readings_total IS 'Tally summary "readings_total", kept equal to this query by triggers on metrics.readings:
SELECT
  count(*) AS n,
  sum(value) AS total,
  min(value) AS lowest,
  max(value) AS highest,
  avg(value) AS mean,
  count(DISTINCT sensor) AS sensors,
  bool_and(ok) AS all_ok
FROM metrics.readings
WHERE sensor IS NOT NULL';

-- No GROUP BY: exactly one row.
CREATE UNIQUE INDEX tally_readings_total_key ON metrics.readings_total ((true));

-- The aggregates over no rows, as SELECT without GROUP BY returns them.
INSERT INTO metrics.readings_total (_tally_rows, n, total, _tally_nn_total, lowest, _tally_removed_lowest, highest, _tally_removed_highest, _tally_sum_mean, _tally_nn_mean, sensors, all_ok, _tally_removed_all_ok)
VALUES (0, 0, NULL, 0, NULL, NULL, NULL, NULL, NULL, 0, 0, NULL, NULL);

-- ==== Guard: the summary table is read-only except to maintenance ====

CREATE FUNCTION metrics.tally_readings_total_guard() RETURNS trigger
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $tally$
-- Tally summary "readings_total": refuses writes to metrics.readings_total that do not come from its maintenance.
#variable_conflict use_column
BEGIN
  -- Tally's backfill and repair mark their transaction: SET LOCAL tally.maintenance = 'readings_total'
  IF pg_catalog.current_setting('tally.maintenance', true) IS NOT DISTINCT FROM 'readings_total' THEN
    RETURN NULL;
  END IF;
  RAISE EXCEPTION USING
    ERRCODE = 'insufficient_privilege',
    MESSAGE = 'metrics.readings_total is a summary table maintained by Tally (summary "readings_total"); it cannot be written directly',
    DETAIL = 'Only the triggers on metrics.readings (and Tally''s backfill and repair) change it; a direct write would make it disagree with its defining query.',
    HINT = 'Write to metrics.readings instead. To repair drift: tally reconcile readings_total --repair';
END;
$tally$;

REVOKE ALL ON FUNCTION metrics.tally_readings_total_guard() FROM PUBLIC;

-- Direct writes fail with a clear error; the maintenance triggers pass without a function call.
CREATE TRIGGER tally_000_guard
  BEFORE INSERT OR UPDATE OR DELETE OR TRUNCATE ON metrics.readings_total
  FOR EACH STATEMENT
  WHEN (pg_catalog.pg_trigger_depth() < 1)
  EXECUTE FUNCTION metrics.tally_readings_total_guard();

-- ==== Maintenance functions (one per source event) ====

CREATE FUNCTION metrics.tally_readings_total_ins() RETURNS trigger
LANGUAGE plpgsql
SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $tally$
-- Tally summary "readings_total": keeps metrics.readings_total exact after INSERT on metrics.readings.
-- Runs once per statement and sees all its rows in the transition table(s).
#variable_conflict use_column
DECLARE
  _tally_stale tid[];
BEGIN
  -- One group: the summary-wide lock serializes its writers.
  PERFORM 1 FROM (SELECT 1 FROM _tally_new WHERE sensor IS NOT NULL) AS c LIMIT 1;
  IF NOT FOUND THEN
    RETURN NULL; -- no row passes the summary's WHERE: nothing to maintain
  END IF;
  PERFORM pg_catalog.pg_advisory_xact_lock(423452281, -1);

  -- Add the new rows' per-group partial aggregates to their groups (creating new groups).
  -- Collect the groups left empty (deleted below) and those to recompute from the source.
  WITH changed AS (
    UPDATE metrics.readings_total AS s SET
      n = s.n + e.n,
      total = COALESCE(s.total + e.total, s.total, e.total),
      lowest = LEAST(s.lowest, e.lowest),
      highest = GREATEST(s.highest, e.highest),
      all_ok = LEAST(s.all_ok, e.all_ok),
      _tally_rows = s._tally_rows + e._tally_rows,
      _tally_nn_total = s._tally_nn_total + e._tally_nn_total,
      _tally_sum_mean = COALESCE(s._tally_sum_mean + e._tally_sum_mean, s._tally_sum_mean, e._tally_sum_mean),
      _tally_nn_mean = s._tally_nn_mean + e._tally_nn_mean
    FROM (
      SELECT
        count(*) AS n,
        sum(value) AS total,
        min(value) AS lowest,
        max(value) AS highest,
        bool_and(ok) AS all_ok,
        count(*) AS _tally_rows,
        count(value) AS _tally_nn_total,
        sum(value) AS _tally_sum_mean,
        count(value) AS _tally_nn_mean
      FROM _tally_new
      WHERE sensor IS NOT NULL
    ) AS e
    RETURNING s.ctid AS row_id, s._tally_rows AS group_rows
  )
  SELECT array_agg(row_id)
  INTO _tally_stale
  FROM changed;

  -- count(DISTINCT …) and array_agg cannot be updated from the delta: recompute them for the
  -- touched groups from the source (under the group locks, through the index on the keys).
  IF _tally_stale IS NOT NULL THEN
    UPDATE metrics.readings_total AS s SET
      sensors = (
        SELECT count(DISTINCT sensor)
        FROM metrics.readings AS t
        WHERE sensor IS NOT NULL
      )
    WHERE s.ctid = ANY (_tally_stale);
  END IF;
  RETURN NULL;
END;
$tally$;

REVOKE ALL ON FUNCTION metrics.tally_readings_total_ins() FROM PUBLIC;

CREATE FUNCTION metrics.tally_readings_total_upd() RETURNS trigger
LANGUAGE plpgsql
SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $tally$
-- Tally summary "readings_total": keeps metrics.readings_total exact after UPDATE on metrics.readings.
-- Runs once per statement and sees all its rows in the transition table(s).
#variable_conflict use_column
DECLARE
  _tally_stale tid[];
BEGIN
  -- One group: the summary-wide lock serializes its writers.
  PERFORM 1 FROM (SELECT 1 FROM _tally_new WHERE sensor IS NOT NULL UNION ALL SELECT 1 FROM _tally_old WHERE sensor IS NOT NULL) AS c LIMIT 1;
  IF NOT FOUND THEN
    RETURN NULL; -- no row passes the summary's WHERE: nothing to maintain
  END IF;
  PERFORM pg_catalog.pg_advisory_xact_lock(423452281, -1);

  -- Add what the new row versions contribute and subtract what the old ones did, per group;
  -- groups whose aggregates do not change are skipped.
  -- Collect the groups left empty (deleted below) and those to recompute from the source.
  WITH changed AS (
    UPDATE metrics.readings_total AS s SET
      n = s.n + e.n,
      total = CASE WHEN s._tally_nn_total + e._tally_nn_total = 0 THEN NULL ELSE COALESCE(s.total + e.total, s.total, e.total) END,
      lowest = LEAST(s.lowest, e.lowest),
      highest = GREATEST(s.highest, e.highest),
      all_ok = LEAST(s.all_ok, e.all_ok),
      _tally_rows = s._tally_rows + e._tally_rows,
      _tally_nn_total = s._tally_nn_total + e._tally_nn_total,
      _tally_removed_lowest = CASE WHEN e._tally_removed_lowest IS NOT NULL AND (s.lowest IS NULL OR e._tally_removed_lowest <= s.lowest) AND (e.lowest IS NULL OR e.lowest > e._tally_removed_lowest) THEN e._tally_removed_lowest END,
      _tally_removed_highest = CASE WHEN e._tally_removed_highest IS NOT NULL AND (s.highest IS NULL OR e._tally_removed_highest >= s.highest) AND (e.highest IS NULL OR e.highest < e._tally_removed_highest) THEN e._tally_removed_highest END,
      _tally_sum_mean = CASE WHEN s._tally_nn_mean + e._tally_nn_mean = 0 THEN NULL ELSE COALESCE(s._tally_sum_mean + e._tally_sum_mean, s._tally_sum_mean, e._tally_sum_mean) END,
      _tally_nn_mean = s._tally_nn_mean + e._tally_nn_mean,
      _tally_removed_all_ok = CASE WHEN e._tally_removed_all_ok IS NOT NULL AND (s.all_ok IS NULL OR e._tally_removed_all_ok <= s.all_ok) AND (e.all_ok IS NULL OR e.all_ok > e._tally_removed_all_ok) THEN e._tally_removed_all_ok END
    FROM (
      SELECT
        count(*) FILTER (WHERE _tally_sign > 0) - count(*) FILTER (WHERE _tally_sign < 0) AS n,
        sum(value * _tally_sign) AS total,
        min(value) FILTER (WHERE _tally_sign > 0) AS lowest,
        max(value) FILTER (WHERE _tally_sign > 0) AS highest,
        bool_and(ok) FILTER (WHERE _tally_sign > 0) AS all_ok,
        sum(_tally_sign) AS _tally_rows,
        count(value) FILTER (WHERE _tally_sign > 0) - count(value) FILTER (WHERE _tally_sign < 0) AS _tally_nn_total,
        min(value) FILTER (WHERE _tally_sign < 0) AS _tally_removed_lowest,
        max(value) FILTER (WHERE _tally_sign < 0) AS _tally_removed_highest,
        sum(value * _tally_sign) AS _tally_sum_mean,
        count(value) FILTER (WHERE _tally_sign > 0) - count(value) FILTER (WHERE _tally_sign < 0) AS _tally_nn_mean,
        bool_and(ok) FILTER (WHERE _tally_sign < 0) AS _tally_removed_all_ok
      FROM (
        SELECT t.*, 1::bigint AS _tally_sign FROM _tally_new AS t
        UNION ALL
        SELECT t.*, -1 FROM _tally_old AS t
      ) AS d
      WHERE sensor IS NOT NULL
    ) AS e
    RETURNING s.ctid AS row_id, s._tally_rows AS group_rows
  )
  SELECT array_agg(row_id)
  INTO _tally_stale
  FROM changed;

  -- Recompute what the delta cannot undo (a removed min/max or numeric scale, count(DISTINCT …),
  -- array_agg) for just the stale groups, from the source, under the group locks. Sums are never
  -- recomputed: another trigger of the same statement adds its rows' delta to them.
  IF _tally_stale IS NOT NULL THEN
    UPDATE metrics.readings_total AS s SET
      (lowest, highest, sensors, all_ok) = (
        SELECT min(value), max(value), count(DISTINCT sensor), bool_and(ok)
        FROM metrics.readings AS t
        WHERE sensor IS NOT NULL
      ),
      _tally_removed_lowest = NULL,
      _tally_removed_highest = NULL,
      _tally_removed_all_ok = NULL
    WHERE s.ctid = ANY (_tally_stale);
  END IF;
  RETURN NULL;
END;
$tally$;

REVOKE ALL ON FUNCTION metrics.tally_readings_total_upd() FROM PUBLIC;

CREATE FUNCTION metrics.tally_readings_total_del() RETURNS trigger
LANGUAGE plpgsql
SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $tally$
-- Tally summary "readings_total": keeps metrics.readings_total exact after DELETE on metrics.readings.
-- Runs once per statement and sees all its rows in the transition table(s).
#variable_conflict use_column
DECLARE
  _tally_stale tid[];
BEGIN
  -- One group: the summary-wide lock serializes its writers.
  PERFORM 1 FROM (SELECT 1 FROM _tally_old WHERE sensor IS NOT NULL) AS c LIMIT 1;
  IF NOT FOUND THEN
    RETURN NULL; -- no row passes the summary's WHERE: nothing to maintain
  END IF;
  PERFORM pg_catalog.pg_advisory_xact_lock(423452281, -1);

  -- Subtract the deleted rows' per-group partial aggregates from their groups.
  -- Collect the groups left empty (deleted below) and those to recompute from the source.
  WITH changed AS (
    UPDATE metrics.readings_total AS s SET
      n = s.n + e.n,
      total = CASE WHEN s._tally_nn_total + e._tally_nn_total = 0 THEN NULL ELSE COALESCE(s.total + e.total, s.total, e.total) END,
      _tally_rows = s._tally_rows + e._tally_rows,
      _tally_nn_total = s._tally_nn_total + e._tally_nn_total,
      _tally_removed_lowest = CASE WHEN e._tally_removed_lowest IS NOT NULL AND (s.lowest IS NULL OR e._tally_removed_lowest <= s.lowest) THEN e._tally_removed_lowest END,
      _tally_removed_highest = CASE WHEN e._tally_removed_highest IS NOT NULL AND (s.highest IS NULL OR e._tally_removed_highest >= s.highest) THEN e._tally_removed_highest END,
      _tally_sum_mean = CASE WHEN s._tally_nn_mean + e._tally_nn_mean = 0 THEN NULL ELSE COALESCE(s._tally_sum_mean + e._tally_sum_mean, s._tally_sum_mean, e._tally_sum_mean) END,
      _tally_nn_mean = s._tally_nn_mean + e._tally_nn_mean,
      _tally_removed_all_ok = CASE WHEN e._tally_removed_all_ok IS NOT NULL AND (s.all_ok IS NULL OR e._tally_removed_all_ok <= s.all_ok) THEN e._tally_removed_all_ok END
    FROM (
      SELECT
        -count(*) AS n,
        -sum(value) AS total,
        -count(*) AS _tally_rows,
        -count(value) AS _tally_nn_total,
        min(value) AS _tally_removed_lowest,
        max(value) AS _tally_removed_highest,
        -sum(value) AS _tally_sum_mean,
        -count(value) AS _tally_nn_mean,
        bool_and(ok) AS _tally_removed_all_ok
      FROM _tally_old
      WHERE sensor IS NOT NULL
    ) AS e
    RETURNING s.ctid AS row_id, s._tally_rows AS group_rows
  )
  SELECT array_agg(row_id)
  INTO _tally_stale
  FROM changed;

  -- Recompute what the delta cannot undo (a removed min/max or numeric scale, count(DISTINCT …),
  -- array_agg) for just the stale groups, from the source, under the group locks. Sums are never
  -- recomputed: another trigger of the same statement adds its rows' delta to them.
  IF _tally_stale IS NOT NULL THEN
    UPDATE metrics.readings_total AS s SET
      (lowest, highest, sensors, all_ok) = (
        SELECT min(value), max(value), count(DISTINCT sensor), bool_and(ok)
        FROM metrics.readings AS t
        WHERE sensor IS NOT NULL
      ),
      _tally_removed_lowest = NULL,
      _tally_removed_highest = NULL,
      _tally_removed_all_ok = NULL
    WHERE s.ctid = ANY (_tally_stale);
  END IF;
  RETURN NULL;
END;
$tally$;

REVOKE ALL ON FUNCTION metrics.tally_readings_total_del() FROM PUBLIC;

CREATE FUNCTION metrics.tally_readings_total_trunc() RETURNS trigger
LANGUAGE plpgsql
SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $tally$
-- Tally summary "readings_total": keeps metrics.readings_total exact after TRUNCATE on metrics.readings.
-- Runs once per statement.
#variable_conflict use_column
BEGIN
  -- Every group changes: take the summary-wide lock exclusively.
  PERFORM pg_catalog.pg_advisory_xact_lock(423452281, -1);

  -- The source is empty: the single row holds the aggregates over no rows.
  UPDATE metrics.readings_total SET _tally_rows = 0, n = 0, total = NULL, _tally_nn_total = 0, lowest = NULL, _tally_removed_lowest = NULL, highest = NULL, _tally_removed_highest = NULL, _tally_sum_mean = NULL, _tally_nn_mean = 0, sensors = 0, all_ok = NULL, _tally_removed_all_ok = NULL;
  RETURN NULL;
END;
$tally$;

REVOKE ALL ON FUNCTION metrics.tally_readings_total_trunc() FROM PUBLIC;

-- ==== Statement-level triggers on the source (SHARE ROW EXCLUSIVE lock on it until COMMIT) ====

CREATE TRIGGER tally_100_readings_total_ins
  AFTER INSERT ON metrics.readings
  REFERENCING NEW TABLE AS _tally_new
  FOR EACH STATEMENT
  EXECUTE FUNCTION metrics.tally_readings_total_ins();

CREATE TRIGGER tally_100_readings_total_upd
  AFTER UPDATE ON metrics.readings
  REFERENCING OLD TABLE AS _tally_old NEW TABLE AS _tally_new
  FOR EACH STATEMENT
  EXECUTE FUNCTION metrics.tally_readings_total_upd();

CREATE TRIGGER tally_100_readings_total_del
  AFTER DELETE ON metrics.readings
  REFERENCING OLD TABLE AS _tally_old
  FOR EACH STATEMENT
  EXECUTE FUNCTION metrics.tally_readings_total_del();

CREATE TRIGGER tally_100_readings_total_trunc
  AFTER TRUNCATE ON metrics.readings
  FOR EACH STATEMENT
  EXECUTE FUNCTION metrics.tally_readings_total_trunc();

-- ######## populate
-- ==== Populate from the source (optional; same transaction, after the triggers) ====

-- lets this transaction write the summary
SET LOCAL tally.maintenance = 'readings_total';

UPDATE metrics.readings_total SET (n, total, lowest, highest, sensors, all_ok, _tally_rows, _tally_nn_total, _tally_sum_mean, _tally_nn_mean) = (
  SELECT
    count(*) AS n,
    sum(value) AS total,
    min(value) AS lowest,
    max(value) AS highest,
    count(DISTINCT sensor) AS sensors,
    bool_and(ok) AS all_ok,
    count(*) AS _tally_rows,
    count(value) AS _tally_nn_total,
    sum(value) AS _tally_sum_mean,
    count(value) AS _tally_nn_mean
  FROM metrics.readings
  WHERE sensor IS NOT NULL
);

-- ######## uninstall
-- Removes Tally summary "readings_total": triggers first (maintenance stops), then the table and functions.
DROP TRIGGER IF EXISTS tally_100_readings_total_ins ON metrics.readings;
DROP TRIGGER IF EXISTS tally_100_readings_total_upd ON metrics.readings;
DROP TRIGGER IF EXISTS tally_100_readings_total_del ON metrics.readings;
DROP TRIGGER IF EXISTS tally_100_readings_total_trunc ON metrics.readings;
DROP TABLE IF EXISTS metrics.readings_total;
DROP FUNCTION IF EXISTS metrics.tally_readings_total_guard();
DROP FUNCTION IF EXISTS metrics.tally_readings_total_ins();
DROP FUNCTION IF EXISTS metrics.tally_readings_total_upd();
DROP FUNCTION IF EXISTS metrics.tally_readings_total_del();
DROP FUNCTION IF EXISTS metrics.tally_readings_total_trunc();
