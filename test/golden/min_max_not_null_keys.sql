-- Golden SQL for case "min_max_not_null_keys" (test/sqlgen/golden-cases.ts). Regenerate: UPDATE_GOLDEN=1 npx vitest run test/sqlgen/golden.test.ts

-- ######## warnings
-- (none)

-- ######## concurrent indexes (before the install transaction)
-- (none)

-- ######## install
-- Tally summary "pnl_range": fin.pnl_range, kept exact by statement-level triggers on fin.pnl_daily.
--
-- Defining query (the visible columns of the summary table always equal its result):
--   SELECT
--     entity_id,
--     min(pnl_date) AS first_date,
--     max(pnl_date) AS last_date,
--     count(*) AS days,
--     sum(pnl) AS total,
--     bool_and(pnl > 0) AS always_positive
--   FROM fin.pnl_daily
--   GROUP BY 1
--
-- Run in one transaction with a short lock_timeout: CREATE TRIGGER takes a SHARE ROW EXCLUSIVE
-- lock on fin.pnl_daily (its writers wait) until COMMIT.
-- Grants expected: the installing role owns fin.pnl_range and the functions below, and has SELECT
-- and TRIGGER on fin.pnl_daily. The maintenance functions are SECURITY DEFINER with a pinned
-- search_path, so writers of fin.pnl_daily need no privilege on the summary; readers need only
--   GRANT SELECT ON fin.pnl_range TO <reader>;
-- Group locks: pg_advisory_xact_lock(-1043215596, slot), slot = hash_record(ROW(keys)) & 1023;
-- a statement touching more than 64 slots takes (-1043215596, -1) exclusively instead.

-- ==== Summary table ====

-- Visible columns = the defining query's; _tally_* columns are Tally's bookkeeping.
-- Every write to a group rewrites its row: free space on each page keeps those updates HOT.
CREATE TABLE fin.pnl_range (
  entity_id integer NOT NULL,
  first_date date,
  last_date date,
  days bigint,
  total numeric GENERATED ALWAYS AS (CASE WHEN _tally_nan_total > 0 OR (_tally_pinf_total > 0 AND _tally_ninf_total > 0) THEN 'NaN'::numeric WHEN _tally_pinf_total > 0 THEN 'Infinity'::numeric WHEN _tally_ninf_total > 0 THEN '-Infinity'::numeric ELSE _tally_sum_total END) STORED,
  always_positive boolean,
  _tally_rows bigint NOT NULL,                      -- source rows in the group (passing WHERE)
  _tally_removed_first_date date,                   -- NULL at rest; a removed min value while first_date is recomputed
  _tally_removed_last_date date,                    -- NULL at rest; a removed max value while last_date is recomputed
  _tally_sum_total numeric,                         -- running sum of the finite values in total
  _tally_nn_total bigint NOT NULL,                  -- non-NULL values in total
  _tally_nan_total bigint NOT NULL,                 -- NaN values in total
  _tally_pinf_total bigint NOT NULL,                -- +Infinity values in total
  _tally_ninf_total bigint NOT NULL,                -- -Infinity values in total
  _tally_removed_always_positive boolean            -- NULL at rest; a removed bool_and value while always_positive is recomputed
) WITH (fillfactor = 70);

COMMENT ON TABLE fin.pnl_range IS 'Tally summary "pnl_range", kept equal to this query by triggers on fin.pnl_daily:
SELECT
  entity_id,
  min(pnl_date) AS first_date,
  max(pnl_date) AS last_date,
  count(*) AS days,
  sum(pnl) AS total,
  bool_and(pnl > 0) AS always_positive
FROM fin.pnl_daily
GROUP BY 1';

-- One row per group; NULL keys form a group, as in GROUP BY.
CREATE UNIQUE INDEX tally_pnl_range_key ON fin.pnl_range (entity_id) NULLS NOT DISTINCT;

-- ==== Guard: the summary table is read-only except to maintenance ====

CREATE FUNCTION fin.tally_pnl_range_guard() RETURNS trigger
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $tally$
-- Tally summary "pnl_range": refuses writes to fin.pnl_range that do not come from its maintenance.
#variable_conflict use_column
BEGIN
  -- Tally's backfill and repair mark their transaction: SET LOCAL tally.maintenance = 'pnl_range'
  IF pg_catalog.current_setting('tally.maintenance', true) IS NOT DISTINCT FROM 'pnl_range' THEN
    RETURN NULL;
  END IF;
  RAISE EXCEPTION USING
    ERRCODE = 'insufficient_privilege',
    MESSAGE = 'fin.pnl_range is a summary table maintained by Tally (summary "pnl_range"); it cannot be written directly',
    DETAIL = 'Only the triggers on fin.pnl_daily (and Tally''s backfill and repair) change it; a direct write would make it disagree with its defining query.',
    HINT = 'Write to fin.pnl_daily instead. To repair drift: tally reconcile pnl_range --repair';
END;
$tally$;

REVOKE ALL ON FUNCTION fin.tally_pnl_range_guard() FROM PUBLIC;

-- Direct writes fail with a clear error; the maintenance triggers pass without a function call.
CREATE TRIGGER tally_000_guard
  BEFORE INSERT OR UPDATE OR DELETE OR TRUNCATE ON fin.pnl_range
  FOR EACH STATEMENT
  WHEN (pg_catalog.pg_trigger_depth() < 1)
  EXECUTE FUNCTION fin.tally_pnl_range_guard();

-- ==== Maintenance functions (one per source event) ====

CREATE FUNCTION fin.tally_pnl_range_ins() RETURNS trigger
LANGUAGE plpgsql
SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $tally$
-- Tally summary "pnl_range": keeps fin.pnl_range exact after INSERT on fin.pnl_daily.
-- Runs once per statement and sees all its rows in the transition table(s).
#variable_conflict use_column
DECLARE
  _tally_slots integer[];
BEGIN
  -- Lock the groups this statement touches before reading or writing them: one lock per slot
  -- (hash of the group key), taken in ascending order so writers cannot deadlock.
  _tally_slots := ARRAY(
    SELECT DISTINCT pg_catalog.hash_record(ROW(entity_id)) & 1023 AS slot FROM _tally_new
    ORDER BY 1
  );
  IF _tally_slots = '{}' THEN
    RETURN NULL; -- no row passes the summary's WHERE: nothing to maintain
  END IF;
  IF pg_catalog.cardinality(_tally_slots) > 64 THEN
    IF NOT EXISTS (SELECT 1 FROM pg_catalog.pg_locks AS l WHERE l.locktype = 'advisory' AND l.pid = pg_catalog.pg_backend_pid() AND l.classid = 3251751700 AND l.objid = 4294967295 AND l.objsubid = 2 AND l.mode = 'ShareLock') THEN
      -- many groups: one summary-wide exclusive lock instead of one lock per slot (not when this
      -- transaction already holds it shared: upgrading would deadlock with another such transaction)
      PERFORM pg_catalog.pg_advisory_xact_lock(-1043215596, -1);
    ELSE
      PERFORM pg_catalog.pg_advisory_xact_lock_shared(-1043215596, -1), pg_catalog.pg_advisory_xact_lock(-1043215596, slot)
      FROM pg_catalog.unnest(_tally_slots) AS slot;
    END IF;
  ELSE
    -- the wide key in shared mode (re-taking a held lock is free), then each slot, in array order
    PERFORM pg_catalog.pg_advisory_xact_lock_shared(-1043215596, -1), pg_catalog.pg_advisory_xact_lock(-1043215596, slot)
    FROM pg_catalog.unnest(_tally_slots) AS slot;
  END IF;

  -- Add the new rows' per-group partial aggregates to their groups (creating new groups).
  INSERT INTO fin.pnl_range AS s (entity_id, first_date, last_date, days, always_positive, _tally_rows, _tally_sum_total, _tally_nn_total, _tally_nan_total, _tally_pinf_total, _tally_ninf_total)
  SELECT
    entity_id,
    min(pnl_date) AS first_date,
    max(pnl_date) AS last_date,
    count(*) AS days,
    bool_and(pnl > 0) AS always_positive,
    count(*) AS _tally_rows,
    sum(pnl) FILTER (WHERE (pnl) NOT IN ('NaN', 'Infinity', '-Infinity')) AS _tally_sum_total,
    count(pnl) AS _tally_nn_total,
    count(*) FILTER (WHERE (pnl) = 'NaN') AS _tally_nan_total,
    count(*) FILTER (WHERE (pnl) = 'Infinity') AS _tally_pinf_total,
    count(*) FILTER (WHERE (pnl) = '-Infinity') AS _tally_ninf_total
  FROM _tally_new
  GROUP BY 1
  ON CONFLICT (entity_id) DO UPDATE SET
    first_date = LEAST(s.first_date, EXCLUDED.first_date),
    last_date = GREATEST(s.last_date, EXCLUDED.last_date),
    days = s.days + EXCLUDED.days,
    always_positive = LEAST(s.always_positive, EXCLUDED.always_positive),
    _tally_rows = s._tally_rows + EXCLUDED._tally_rows,
    _tally_sum_total = COALESCE(s._tally_sum_total + EXCLUDED._tally_sum_total, s._tally_sum_total, EXCLUDED._tally_sum_total),
    _tally_nn_total = s._tally_nn_total + EXCLUDED._tally_nn_total,
    _tally_nan_total = s._tally_nan_total + EXCLUDED._tally_nan_total,
    _tally_pinf_total = s._tally_pinf_total + EXCLUDED._tally_pinf_total,
    _tally_ninf_total = s._tally_ninf_total + EXCLUDED._tally_ninf_total;
  RETURN NULL;
END;
$tally$;

REVOKE ALL ON FUNCTION fin.tally_pnl_range_ins() FROM PUBLIC;

CREATE FUNCTION fin.tally_pnl_range_upd() RETURNS trigger
LANGUAGE plpgsql
SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $tally$
-- Tally summary "pnl_range": keeps fin.pnl_range exact after UPDATE on fin.pnl_daily.
-- Runs once per statement and sees all its rows in the transition table(s).
#variable_conflict use_column
DECLARE
  _tally_slots integer[];
  _tally_gone tid[];
  _tally_stale tid[];
BEGIN
  -- Lock the groups this statement touches before reading or writing them: one lock per slot
  -- (hash of the group key), taken in ascending order so writers cannot deadlock.
  _tally_slots := ARRAY(
    SELECT pg_catalog.hash_record(ROW(entity_id)) & 1023 AS slot FROM _tally_new
    UNION
    SELECT pg_catalog.hash_record(ROW(entity_id)) & 1023 AS slot FROM _tally_old
    ORDER BY 1
  );
  IF _tally_slots = '{}' THEN
    RETURN NULL; -- no row passes the summary's WHERE: nothing to maintain
  END IF;
  IF pg_catalog.cardinality(_tally_slots) > 64 THEN
    IF NOT EXISTS (SELECT 1 FROM pg_catalog.pg_locks AS l WHERE l.locktype = 'advisory' AND l.pid = pg_catalog.pg_backend_pid() AND l.classid = 3251751700 AND l.objid = 4294967295 AND l.objsubid = 2 AND l.mode = 'ShareLock') THEN
      -- many groups: one summary-wide exclusive lock instead of one lock per slot (not when this
      -- transaction already holds it shared: upgrading would deadlock with another such transaction)
      PERFORM pg_catalog.pg_advisory_xact_lock(-1043215596, -1);
    ELSE
      PERFORM pg_catalog.pg_advisory_xact_lock_shared(-1043215596, -1), pg_catalog.pg_advisory_xact_lock(-1043215596, slot)
      FROM pg_catalog.unnest(_tally_slots) AS slot;
    END IF;
  ELSE
    -- the wide key in shared mode (re-taking a held lock is free), then each slot, in array order
    PERFORM pg_catalog.pg_advisory_xact_lock_shared(-1043215596, -1), pg_catalog.pg_advisory_xact_lock(-1043215596, slot)
    FROM pg_catalog.unnest(_tally_slots) AS slot;
  END IF;

  -- Add what the new row versions contribute and subtract what the old ones did, per group;
  -- groups whose aggregates do not change are skipped.
  -- Collect the groups left empty (deleted below) and those to recompute from the source.
  WITH changed AS (
    INSERT INTO fin.pnl_range AS s (entity_id, first_date, last_date, days, always_positive, _tally_rows, _tally_removed_first_date, _tally_removed_last_date, _tally_sum_total, _tally_nn_total, _tally_nan_total, _tally_pinf_total, _tally_ninf_total, _tally_removed_always_positive)
    SELECT *
    FROM (
      SELECT
        entity_id,
        min(pnl_date) FILTER (WHERE _tally_sign > 0) AS first_date,
        max(pnl_date) FILTER (WHERE _tally_sign > 0) AS last_date,
        count(*) FILTER (WHERE _tally_sign > 0) - count(*) FILTER (WHERE _tally_sign < 0) AS days,
        bool_and(pnl > 0) FILTER (WHERE _tally_sign > 0) AS always_positive,
        sum(_tally_sign) AS _tally_rows,
        min(pnl_date) FILTER (WHERE _tally_sign < 0) AS _tally_removed_first_date,
        max(pnl_date) FILTER (WHERE _tally_sign < 0) AS _tally_removed_last_date,
        sum(pnl * _tally_sign) FILTER (WHERE (pnl) NOT IN ('NaN', 'Infinity', '-Infinity')) AS _tally_sum_total,
        count(pnl) FILTER (WHERE _tally_sign > 0) - count(pnl) FILTER (WHERE _tally_sign < 0) AS _tally_nn_total,
        count(*) FILTER (WHERE _tally_sign > 0 AND ((pnl) = 'NaN')) - count(*) FILTER (WHERE _tally_sign < 0 AND ((pnl) = 'NaN')) AS _tally_nan_total,
        count(*) FILTER (WHERE _tally_sign > 0 AND ((pnl) = 'Infinity')) - count(*) FILTER (WHERE _tally_sign < 0 AND ((pnl) = 'Infinity')) AS _tally_pinf_total,
        count(*) FILTER (WHERE _tally_sign > 0 AND ((pnl) = '-Infinity')) - count(*) FILTER (WHERE _tally_sign < 0 AND ((pnl) = '-Infinity')) AS _tally_ninf_total,
        bool_and(pnl > 0) FILTER (WHERE _tally_sign < 0) AS _tally_removed_always_positive
      FROM (
        SELECT t.*, 1::bigint AS _tally_sign FROM _tally_new AS t
        UNION ALL
        SELECT t.*, -1 FROM _tally_old AS t
      ) AS d
      GROUP BY 1
    ) AS g
    WHERE g.first_date IS NOT NULL
       OR g.last_date IS NOT NULL
       OR g.days <> 0
       OR g.always_positive IS NOT NULL
       OR g._tally_rows <> 0
       OR g._tally_removed_first_date IS NOT NULL
       OR g._tally_removed_last_date IS NOT NULL
       OR g._tally_sum_total <> 0
       OR g._tally_nn_total <> 0
       OR g._tally_nan_total <> 0
       OR g._tally_pinf_total <> 0
       OR g._tally_ninf_total <> 0
       OR g._tally_removed_always_positive IS NOT NULL
    ON CONFLICT (entity_id) DO UPDATE SET
      first_date = LEAST(s.first_date, EXCLUDED.first_date),
      last_date = GREATEST(s.last_date, EXCLUDED.last_date),
      days = s.days + EXCLUDED.days,
      always_positive = LEAST(s.always_positive, EXCLUDED.always_positive),
      _tally_rows = s._tally_rows + EXCLUDED._tally_rows,
      _tally_removed_first_date = CASE WHEN EXCLUDED._tally_removed_first_date IS NOT NULL AND (s.first_date IS NULL OR EXCLUDED._tally_removed_first_date <= s.first_date) AND (EXCLUDED.first_date IS NULL OR EXCLUDED.first_date > EXCLUDED._tally_removed_first_date) THEN EXCLUDED._tally_removed_first_date END,
      _tally_removed_last_date = CASE WHEN EXCLUDED._tally_removed_last_date IS NOT NULL AND (s.last_date IS NULL OR EXCLUDED._tally_removed_last_date >= s.last_date) AND (EXCLUDED.last_date IS NULL OR EXCLUDED.last_date < EXCLUDED._tally_removed_last_date) THEN EXCLUDED._tally_removed_last_date END,
      _tally_sum_total = CASE WHEN s._tally_nn_total + EXCLUDED._tally_nn_total = 0 THEN NULL ELSE COALESCE(s._tally_sum_total + EXCLUDED._tally_sum_total, s._tally_sum_total, EXCLUDED._tally_sum_total) END,
      _tally_nn_total = s._tally_nn_total + EXCLUDED._tally_nn_total,
      _tally_nan_total = s._tally_nan_total + EXCLUDED._tally_nan_total,
      _tally_pinf_total = s._tally_pinf_total + EXCLUDED._tally_pinf_total,
      _tally_ninf_total = s._tally_ninf_total + EXCLUDED._tally_ninf_total,
      _tally_removed_always_positive = CASE WHEN EXCLUDED._tally_removed_always_positive IS NOT NULL AND (s.always_positive IS NULL OR EXCLUDED._tally_removed_always_positive <= s.always_positive) AND (EXCLUDED.always_positive IS NULL OR EXCLUDED.always_positive > EXCLUDED._tally_removed_always_positive) THEN EXCLUDED._tally_removed_always_positive END
    RETURNING s.ctid AS row_id, s._tally_rows AS group_rows, (s._tally_removed_first_date IS NOT NULL OR s._tally_removed_last_date IS NOT NULL OR s._tally_removed_always_positive IS NOT NULL) AS stale
  )
  SELECT array_agg(row_id) FILTER (WHERE group_rows <= 0), array_agg(row_id) FILTER (WHERE group_rows > 0 AND stale)
  INTO _tally_gone, _tally_stale
  FROM changed;

  -- A group with no rows left disappears, as it does from the defining query.
  IF _tally_gone IS NOT NULL THEN
    DELETE FROM fin.pnl_range WHERE ctid = ANY (_tally_gone);
  END IF;

  -- REPEATABLE READ / SERIALIZABLE: the recompute below reads this transaction's snapshot.
  -- Locking the groups' rows as that snapshot sees them raises 40001 (could not serialize)
  -- if another transaction changed these groups since: a retryable error, never drift.
  IF _tally_stale IS NOT NULL AND pg_catalog.current_setting('transaction_isolation') <> 'read committed' THEN
    PERFORM 1 FROM fin.pnl_range AS o
    WHERE o.ctid = ANY (ARRAY(
      SELECT x.ctid
      FROM fin.pnl_range AS s
        , fin.pnl_range AS x
      WHERE s.ctid = ANY (_tally_stale) AND x.entity_id = s.entity_id
    ))
    FOR UPDATE OF o;
  END IF;

  -- Recompute what the delta cannot undo (a removed min/max or numeric scale, count(DISTINCT …),
  -- array_agg) for just the stale groups, from the source, under the group locks. Sums are never
  -- recomputed: another trigger of the same statement adds its rows' delta to them.
  IF _tally_stale IS NOT NULL THEN
    UPDATE fin.pnl_range AS s SET
      (first_date, last_date, always_positive) = (
        SELECT min(pnl_date), max(pnl_date), bool_and(pnl > 0)
        FROM fin.pnl_daily AS t
        WHERE entity_id = s.entity_id
      ),
      _tally_removed_first_date = NULL,
      _tally_removed_last_date = NULL,
      _tally_removed_always_positive = NULL
    WHERE s.ctid = ANY (_tally_stale);
  END IF;
  RETURN NULL;
END;
$tally$;

REVOKE ALL ON FUNCTION fin.tally_pnl_range_upd() FROM PUBLIC;

CREATE FUNCTION fin.tally_pnl_range_del() RETURNS trigger
LANGUAGE plpgsql
SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $tally$
-- Tally summary "pnl_range": keeps fin.pnl_range exact after DELETE on fin.pnl_daily.
-- Runs once per statement and sees all its rows in the transition table(s).
#variable_conflict use_column
DECLARE
  _tally_slots integer[];
  _tally_gone tid[];
  _tally_stale tid[];
BEGIN
  -- Lock the groups this statement touches before reading or writing them: one lock per slot
  -- (hash of the group key), taken in ascending order so writers cannot deadlock.
  _tally_slots := ARRAY(
    SELECT DISTINCT pg_catalog.hash_record(ROW(entity_id)) & 1023 AS slot FROM _tally_old
    ORDER BY 1
  );
  IF _tally_slots = '{}' THEN
    RETURN NULL; -- no row passes the summary's WHERE: nothing to maintain
  END IF;
  IF pg_catalog.cardinality(_tally_slots) > 64 THEN
    IF NOT EXISTS (SELECT 1 FROM pg_catalog.pg_locks AS l WHERE l.locktype = 'advisory' AND l.pid = pg_catalog.pg_backend_pid() AND l.classid = 3251751700 AND l.objid = 4294967295 AND l.objsubid = 2 AND l.mode = 'ShareLock') THEN
      -- many groups: one summary-wide exclusive lock instead of one lock per slot (not when this
      -- transaction already holds it shared: upgrading would deadlock with another such transaction)
      PERFORM pg_catalog.pg_advisory_xact_lock(-1043215596, -1);
    ELSE
      PERFORM pg_catalog.pg_advisory_xact_lock_shared(-1043215596, -1), pg_catalog.pg_advisory_xact_lock(-1043215596, slot)
      FROM pg_catalog.unnest(_tally_slots) AS slot;
    END IF;
  ELSE
    -- the wide key in shared mode (re-taking a held lock is free), then each slot, in array order
    PERFORM pg_catalog.pg_advisory_xact_lock_shared(-1043215596, -1), pg_catalog.pg_advisory_xact_lock(-1043215596, slot)
    FROM pg_catalog.unnest(_tally_slots) AS slot;
  END IF;

  -- Subtract the deleted rows' per-group partial aggregates from their groups.
  -- Collect the groups left empty (deleted below) and those to recompute from the source.
  WITH changed AS (
    INSERT INTO fin.pnl_range AS s (entity_id, days, _tally_rows, _tally_removed_first_date, _tally_removed_last_date, _tally_sum_total, _tally_nn_total, _tally_nan_total, _tally_pinf_total, _tally_ninf_total, _tally_removed_always_positive)
    SELECT
      entity_id,
      -count(*) AS days,
      -count(*) AS _tally_rows,
      min(pnl_date) AS _tally_removed_first_date,
      max(pnl_date) AS _tally_removed_last_date,
      -sum(pnl) FILTER (WHERE (pnl) NOT IN ('NaN', 'Infinity', '-Infinity')) AS _tally_sum_total,
      -count(pnl) AS _tally_nn_total,
      -count(*) FILTER (WHERE (pnl) = 'NaN') AS _tally_nan_total,
      -count(*) FILTER (WHERE (pnl) = 'Infinity') AS _tally_pinf_total,
      -count(*) FILTER (WHERE (pnl) = '-Infinity') AS _tally_ninf_total,
      bool_and(pnl > 0) AS _tally_removed_always_positive
    FROM _tally_old
    GROUP BY 1
    ON CONFLICT (entity_id) DO UPDATE SET
      days = s.days + EXCLUDED.days,
      _tally_rows = s._tally_rows + EXCLUDED._tally_rows,
      _tally_removed_first_date = CASE WHEN EXCLUDED._tally_removed_first_date IS NOT NULL AND (s.first_date IS NULL OR EXCLUDED._tally_removed_first_date <= s.first_date) THEN EXCLUDED._tally_removed_first_date END,
      _tally_removed_last_date = CASE WHEN EXCLUDED._tally_removed_last_date IS NOT NULL AND (s.last_date IS NULL OR EXCLUDED._tally_removed_last_date >= s.last_date) THEN EXCLUDED._tally_removed_last_date END,
      _tally_sum_total = CASE WHEN s._tally_nn_total + EXCLUDED._tally_nn_total = 0 THEN NULL ELSE COALESCE(s._tally_sum_total + EXCLUDED._tally_sum_total, s._tally_sum_total, EXCLUDED._tally_sum_total) END,
      _tally_nn_total = s._tally_nn_total + EXCLUDED._tally_nn_total,
      _tally_nan_total = s._tally_nan_total + EXCLUDED._tally_nan_total,
      _tally_pinf_total = s._tally_pinf_total + EXCLUDED._tally_pinf_total,
      _tally_ninf_total = s._tally_ninf_total + EXCLUDED._tally_ninf_total,
      _tally_removed_always_positive = CASE WHEN EXCLUDED._tally_removed_always_positive IS NOT NULL AND (s.always_positive IS NULL OR EXCLUDED._tally_removed_always_positive <= s.always_positive) THEN EXCLUDED._tally_removed_always_positive END
    RETURNING s.ctid AS row_id, s._tally_rows AS group_rows, (s._tally_removed_first_date IS NOT NULL OR s._tally_removed_last_date IS NOT NULL OR s._tally_removed_always_positive IS NOT NULL) AS stale
  )
  SELECT array_agg(row_id) FILTER (WHERE group_rows <= 0), array_agg(row_id) FILTER (WHERE group_rows > 0 AND stale)
  INTO _tally_gone, _tally_stale
  FROM changed;

  -- A group with no rows left disappears, as it does from the defining query.
  IF _tally_gone IS NOT NULL THEN
    DELETE FROM fin.pnl_range WHERE ctid = ANY (_tally_gone);
  END IF;

  -- REPEATABLE READ / SERIALIZABLE: the recompute below reads this transaction's snapshot.
  -- Locking the groups' rows as that snapshot sees them raises 40001 (could not serialize)
  -- if another transaction changed these groups since: a retryable error, never drift.
  IF _tally_stale IS NOT NULL AND pg_catalog.current_setting('transaction_isolation') <> 'read committed' THEN
    PERFORM 1 FROM fin.pnl_range AS o
    WHERE o.ctid = ANY (ARRAY(
      SELECT x.ctid
      FROM fin.pnl_range AS s
        , fin.pnl_range AS x
      WHERE s.ctid = ANY (_tally_stale) AND x.entity_id = s.entity_id
    ))
    FOR UPDATE OF o;
  END IF;

  -- Recompute what the delta cannot undo (a removed min/max or numeric scale, count(DISTINCT …),
  -- array_agg) for just the stale groups, from the source, under the group locks. Sums are never
  -- recomputed: another trigger of the same statement adds its rows' delta to them.
  IF _tally_stale IS NOT NULL THEN
    UPDATE fin.pnl_range AS s SET
      (first_date, last_date, always_positive) = (
        SELECT min(pnl_date), max(pnl_date), bool_and(pnl > 0)
        FROM fin.pnl_daily AS t
        WHERE entity_id = s.entity_id
      ),
      _tally_removed_first_date = NULL,
      _tally_removed_last_date = NULL,
      _tally_removed_always_positive = NULL
    WHERE s.ctid = ANY (_tally_stale);
  END IF;
  RETURN NULL;
END;
$tally$;

REVOKE ALL ON FUNCTION fin.tally_pnl_range_del() FROM PUBLIC;

CREATE FUNCTION fin.tally_pnl_range_trunc() RETURNS trigger
LANGUAGE plpgsql
SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $tally$
-- Tally summary "pnl_range": keeps fin.pnl_range exact after TRUNCATE on fin.pnl_daily.
-- Runs once per statement.
#variable_conflict use_column
BEGIN
  -- Every group changes: take the summary-wide lock exclusively.
  PERFORM pg_catalog.pg_advisory_xact_lock(-1043215596, -1);

  -- The source is empty: so is every group.
  DELETE FROM fin.pnl_range;
  RETURN NULL;
END;
$tally$;

REVOKE ALL ON FUNCTION fin.tally_pnl_range_trunc() FROM PUBLIC;

-- ==== Statement-level triggers on the source (SHARE ROW EXCLUSIVE lock on it until COMMIT) ====

CREATE TRIGGER tally_100_pnl_range_ins
  AFTER INSERT ON fin.pnl_daily
  REFERENCING NEW TABLE AS _tally_new
  FOR EACH STATEMENT
  EXECUTE FUNCTION fin.tally_pnl_range_ins();

CREATE TRIGGER tally_100_pnl_range_upd
  AFTER UPDATE ON fin.pnl_daily
  REFERENCING OLD TABLE AS _tally_old NEW TABLE AS _tally_new
  FOR EACH STATEMENT
  EXECUTE FUNCTION fin.tally_pnl_range_upd();

CREATE TRIGGER tally_100_pnl_range_del
  AFTER DELETE ON fin.pnl_daily
  REFERENCING OLD TABLE AS _tally_old
  FOR EACH STATEMENT
  EXECUTE FUNCTION fin.tally_pnl_range_del();

CREATE TRIGGER tally_100_pnl_range_trunc
  AFTER TRUNCATE ON fin.pnl_daily
  FOR EACH STATEMENT
  EXECUTE FUNCTION fin.tally_pnl_range_trunc();

-- ######## populate
-- ==== Populate from the source (optional; same transaction, after the triggers) ====

-- lets this transaction write the summary
SET LOCAL tally.maintenance = 'pnl_range';

INSERT INTO fin.pnl_range (entity_id, first_date, last_date, days, always_positive, _tally_rows, _tally_sum_total, _tally_nn_total, _tally_nan_total, _tally_pinf_total, _tally_ninf_total)
SELECT
  entity_id,
  min(pnl_date) AS first_date,
  max(pnl_date) AS last_date,
  count(*) AS days,
  bool_and(pnl > 0) AS always_positive,
  count(*) AS _tally_rows,
  sum(pnl) FILTER (WHERE (pnl) NOT IN ('NaN', 'Infinity', '-Infinity')) AS _tally_sum_total,
  count(pnl) AS _tally_nn_total,
  count(*) FILTER (WHERE (pnl) = 'NaN') AS _tally_nan_total,
  count(*) FILTER (WHERE (pnl) = 'Infinity') AS _tally_pinf_total,
  count(*) FILTER (WHERE (pnl) = '-Infinity') AS _tally_ninf_total
FROM fin.pnl_daily
GROUP BY 1;

-- ######## uninstall
-- Removes Tally summary "pnl_range": triggers first (maintenance stops), then the table and functions.
DROP TRIGGER IF EXISTS tally_100_pnl_range_ins ON fin.pnl_daily;
DROP TRIGGER IF EXISTS tally_100_pnl_range_upd ON fin.pnl_daily;
DROP TRIGGER IF EXISTS tally_100_pnl_range_del ON fin.pnl_daily;
DROP TRIGGER IF EXISTS tally_100_pnl_range_trunc ON fin.pnl_daily;
DROP TABLE IF EXISTS fin.pnl_range;
DROP FUNCTION IF EXISTS fin.tally_pnl_range_guard();
DROP FUNCTION IF EXISTS fin.tally_pnl_range_ins();
DROP FUNCTION IF EXISTS fin.tally_pnl_range_upd();
DROP FUNCTION IF EXISTS fin.tally_pnl_range_del();
DROP FUNCTION IF EXISTS fin.tally_pnl_range_trunc();
