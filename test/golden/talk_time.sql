-- Golden SQL for case "talk_time" (test/sqlgen/golden-cases.ts). Regenerate: UPDATE_GOLDEN=1 npx vitest run test/sqlgen/golden.test.ts

-- ######## warnings
-- (none)

-- ######## concurrent indexes (before the install transaction)
-- (none)

-- ######## install
-- Tally summary "user_talk_time": crm.user_talk_time, kept exact by statement-level triggers on crm.admin_user_call_log.
--
-- Defining query (the visible columns of the summary table always equal its result):
--   SELECT
--     user_id,
--     sum(duration) FILTER (WHERE duration > 0) AS total_talk_time,
--     count(*) AS calls
--   FROM crm.admin_user_call_log
--   GROUP BY 1
--
-- Run in one transaction with a short lock_timeout: CREATE TRIGGER takes a SHARE ROW EXCLUSIVE
-- lock on crm.admin_user_call_log (its writers wait) until COMMIT.
-- Grants expected: the installing role owns crm.user_talk_time and the functions below, and has SELECT
-- and TRIGGER on crm.admin_user_call_log. The maintenance functions are SECURITY DEFINER with a pinned
-- search_path, so writers of crm.admin_user_call_log need no privilege on the summary; readers need only
--   GRANT SELECT ON crm.user_talk_time TO <reader>;
-- Group locks: pg_advisory_xact_lock(-621457839, slot), slot = hash_record(ROW(keys)) & 1023;
-- a statement touching more than 64 slots takes (-621457839, -1) exclusively instead.

-- ==== Summary table ====

-- Visible columns = the defining query's; _tally_* columns are Tally's bookkeeping.
-- Every write to a group rewrites its row: free space on each page keeps those updates HOT.
CREATE TABLE crm.user_talk_time (
  user_id integer,
  total_talk_time bigint,
  calls bigint,
  _tally_rows bigint NOT NULL,                -- source rows in the group (passing WHERE)
  _tally_nn_total_talk_time bigint NOT NULL   -- non-NULL values in total_talk_time
) WITH (fillfactor = 70);

COMMENT ON TABLE crm.user_talk_time IS 'Tally summary "user_talk_time", kept equal to this query by triggers on crm.admin_user_call_log:
SELECT
  user_id,
  sum(duration) FILTER (WHERE duration > 0) AS total_talk_time,
  count(*) AS calls
FROM crm.admin_user_call_log
GROUP BY 1';

-- One row per group; NULL keys form a group, as in GROUP BY.
CREATE UNIQUE INDEX tally_user_talk_time_key ON crm.user_talk_time (user_id) NULLS NOT DISTINCT;

-- ==== Guard: the summary table is read-only except to maintenance ====

CREATE FUNCTION crm.tally_user_talk_time_guard() RETURNS trigger
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $tally$
-- Tally summary "user_talk_time": refuses writes to crm.user_talk_time that do not come from its maintenance.
#variable_conflict use_column
BEGIN
  -- Tally's backfill and repair mark their transaction: SET LOCAL tally.maintenance = 'user_talk_time'
  IF pg_catalog.current_setting('tally.maintenance', true) IS NOT DISTINCT FROM 'user_talk_time' THEN
    RETURN NULL;
  END IF;
  RAISE EXCEPTION USING
    ERRCODE = 'insufficient_privilege',
    MESSAGE = 'crm.user_talk_time is a summary table maintained by Tally (summary "user_talk_time"); it cannot be written directly',
    DETAIL = 'Only the triggers on crm.admin_user_call_log (and Tally''s backfill and repair) change it; a direct write would make it disagree with its defining query.',
    HINT = 'Write to crm.admin_user_call_log instead. To repair drift: tally reconcile user_talk_time --repair';
END;
$tally$;

REVOKE ALL ON FUNCTION crm.tally_user_talk_time_guard() FROM PUBLIC;

-- Direct writes fail with a clear error; the maintenance triggers pass without a function call.
CREATE TRIGGER tally_000_guard
  BEFORE INSERT OR UPDATE OR DELETE OR TRUNCATE ON crm.user_talk_time
  FOR EACH STATEMENT
  WHEN (pg_catalog.pg_trigger_depth() < 1)
  EXECUTE FUNCTION crm.tally_user_talk_time_guard();

-- ==== Maintenance functions (one per source event) ====

CREATE FUNCTION crm.tally_user_talk_time_ins() RETURNS trigger
LANGUAGE plpgsql
SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $tally$
-- Tally summary "user_talk_time": keeps crm.user_talk_time exact after INSERT on crm.admin_user_call_log.
-- Runs once per statement and sees all its rows in the transition table(s).
#variable_conflict use_column
DECLARE
  _tally_slots integer[];
BEGIN
  -- Lock the groups this statement touches before reading or writing them: one lock per slot
  -- (hash of the group key), taken in ascending order so writers cannot deadlock.
  _tally_slots := ARRAY(
    SELECT DISTINCT pg_catalog.hash_record(ROW(user_id)) & 1023 AS slot FROM _tally_new
    ORDER BY 1
  );
  IF _tally_slots = '{}' THEN
    RETURN NULL; -- no row passes the summary's WHERE: nothing to maintain
  END IF;
  IF pg_catalog.cardinality(_tally_slots) > 64 THEN
    IF NOT EXISTS (SELECT 1 FROM pg_catalog.pg_locks AS l WHERE l.locktype = 'advisory' AND l.pid = pg_catalog.pg_backend_pid() AND l.classid = 3673509457 AND l.objid = 4294967295 AND l.objsubid = 2 AND l.mode = 'ShareLock') THEN
      -- many groups: one summary-wide exclusive lock instead of one lock per slot (not when this
      -- transaction already holds it shared: upgrading would deadlock with another such transaction)
      PERFORM pg_catalog.pg_advisory_xact_lock(-621457839, -1);
    ELSE
      PERFORM pg_catalog.pg_advisory_xact_lock_shared(-621457839, -1), pg_catalog.pg_advisory_xact_lock(-621457839, slot)
      FROM pg_catalog.unnest(_tally_slots) AS slot;
    END IF;
  ELSE
    -- the wide key in shared mode (re-taking a held lock is free), then each slot, in array order
    PERFORM pg_catalog.pg_advisory_xact_lock_shared(-621457839, -1), pg_catalog.pg_advisory_xact_lock(-621457839, slot)
    FROM pg_catalog.unnest(_tally_slots) AS slot;
  END IF;

  -- Add the new rows' per-group partial aggregates to their groups (creating new groups).
  INSERT INTO crm.user_talk_time AS s (user_id, total_talk_time, calls, _tally_rows, _tally_nn_total_talk_time)
  SELECT
    user_id,
    sum(duration) FILTER (WHERE duration > 0) AS total_talk_time,
    count(*) AS calls,
    count(*) AS _tally_rows,
    count(duration) FILTER (WHERE duration > 0) AS _tally_nn_total_talk_time
  FROM _tally_new
  GROUP BY 1
  ON CONFLICT (user_id) DO UPDATE SET
    total_talk_time = COALESCE(s.total_talk_time + EXCLUDED.total_talk_time, s.total_talk_time, EXCLUDED.total_talk_time),
    calls = s.calls + EXCLUDED.calls,
    _tally_rows = s._tally_rows + EXCLUDED._tally_rows,
    _tally_nn_total_talk_time = s._tally_nn_total_talk_time + EXCLUDED._tally_nn_total_talk_time;
  RETURN NULL;
END;
$tally$;

REVOKE ALL ON FUNCTION crm.tally_user_talk_time_ins() FROM PUBLIC;

CREATE FUNCTION crm.tally_user_talk_time_upd() RETURNS trigger
LANGUAGE plpgsql
SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $tally$
-- Tally summary "user_talk_time": keeps crm.user_talk_time exact after UPDATE on crm.admin_user_call_log.
-- Runs once per statement and sees all its rows in the transition table(s).
#variable_conflict use_column
DECLARE
  _tally_slots integer[];
  _tally_gone tid[];
BEGIN
  -- Lock the groups this statement touches before reading or writing them: one lock per slot
  -- (hash of the group key), taken in ascending order so writers cannot deadlock.
  _tally_slots := ARRAY(
    SELECT pg_catalog.hash_record(ROW(user_id)) & 1023 AS slot FROM _tally_new
    UNION
    SELECT pg_catalog.hash_record(ROW(user_id)) & 1023 AS slot FROM _tally_old
    ORDER BY 1
  );
  IF _tally_slots = '{}' THEN
    RETURN NULL; -- no row passes the summary's WHERE: nothing to maintain
  END IF;
  IF pg_catalog.cardinality(_tally_slots) > 64 THEN
    IF NOT EXISTS (SELECT 1 FROM pg_catalog.pg_locks AS l WHERE l.locktype = 'advisory' AND l.pid = pg_catalog.pg_backend_pid() AND l.classid = 3673509457 AND l.objid = 4294967295 AND l.objsubid = 2 AND l.mode = 'ShareLock') THEN
      -- many groups: one summary-wide exclusive lock instead of one lock per slot (not when this
      -- transaction already holds it shared: upgrading would deadlock with another such transaction)
      PERFORM pg_catalog.pg_advisory_xact_lock(-621457839, -1);
    ELSE
      PERFORM pg_catalog.pg_advisory_xact_lock_shared(-621457839, -1), pg_catalog.pg_advisory_xact_lock(-621457839, slot)
      FROM pg_catalog.unnest(_tally_slots) AS slot;
    END IF;
  ELSE
    -- the wide key in shared mode (re-taking a held lock is free), then each slot, in array order
    PERFORM pg_catalog.pg_advisory_xact_lock_shared(-621457839, -1), pg_catalog.pg_advisory_xact_lock(-621457839, slot)
    FROM pg_catalog.unnest(_tally_slots) AS slot;
  END IF;

  -- Add what the new row versions contribute and subtract what the old ones did, per group;
  -- groups whose aggregates do not change are skipped.
  -- Collect the groups left empty (deleted below).
  WITH changed AS (
    INSERT INTO crm.user_talk_time AS s (user_id, total_talk_time, calls, _tally_rows, _tally_nn_total_talk_time)
    SELECT *
    FROM (
      SELECT
        user_id,
        sum(duration * _tally_sign) FILTER (WHERE duration > 0) AS total_talk_time,
        count(*) FILTER (WHERE _tally_sign > 0) - count(*) FILTER (WHERE _tally_sign < 0) AS calls,
        sum(_tally_sign) AS _tally_rows,
        count(duration) FILTER (WHERE _tally_sign > 0 AND (duration > 0)) - count(duration) FILTER (WHERE _tally_sign < 0 AND (duration > 0)) AS _tally_nn_total_talk_time
      FROM (
        SELECT t.*, 1::bigint AS _tally_sign FROM _tally_new AS t
        UNION ALL
        SELECT t.*, -1 FROM _tally_old AS t
      ) AS d
      GROUP BY 1
    ) AS g
    WHERE g.total_talk_time <> 0
       OR g.calls <> 0
       OR g._tally_rows <> 0
       OR g._tally_nn_total_talk_time <> 0
    ON CONFLICT (user_id) DO UPDATE SET
      total_talk_time = CASE WHEN s._tally_nn_total_talk_time + EXCLUDED._tally_nn_total_talk_time = 0 THEN NULL ELSE COALESCE(s.total_talk_time + EXCLUDED.total_talk_time, s.total_talk_time, EXCLUDED.total_talk_time) END,
      calls = s.calls + EXCLUDED.calls,
      _tally_rows = s._tally_rows + EXCLUDED._tally_rows,
      _tally_nn_total_talk_time = s._tally_nn_total_talk_time + EXCLUDED._tally_nn_total_talk_time
    RETURNING s.ctid AS row_id, s._tally_rows AS group_rows
  )
  SELECT array_agg(row_id) FILTER (WHERE group_rows <= 0)
  INTO _tally_gone
  FROM changed;

  -- A group with no rows left disappears, as it does from the defining query.
  IF _tally_gone IS NOT NULL THEN
    DELETE FROM crm.user_talk_time WHERE ctid = ANY (_tally_gone);
  END IF;
  RETURN NULL;
END;
$tally$;

REVOKE ALL ON FUNCTION crm.tally_user_talk_time_upd() FROM PUBLIC;

CREATE FUNCTION crm.tally_user_talk_time_del() RETURNS trigger
LANGUAGE plpgsql
SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $tally$
-- Tally summary "user_talk_time": keeps crm.user_talk_time exact after DELETE on crm.admin_user_call_log.
-- Runs once per statement and sees all its rows in the transition table(s).
#variable_conflict use_column
DECLARE
  _tally_slots integer[];
  _tally_gone tid[];
BEGIN
  -- Lock the groups this statement touches before reading or writing them: one lock per slot
  -- (hash of the group key), taken in ascending order so writers cannot deadlock.
  _tally_slots := ARRAY(
    SELECT DISTINCT pg_catalog.hash_record(ROW(user_id)) & 1023 AS slot FROM _tally_old
    ORDER BY 1
  );
  IF _tally_slots = '{}' THEN
    RETURN NULL; -- no row passes the summary's WHERE: nothing to maintain
  END IF;
  IF pg_catalog.cardinality(_tally_slots) > 64 THEN
    IF NOT EXISTS (SELECT 1 FROM pg_catalog.pg_locks AS l WHERE l.locktype = 'advisory' AND l.pid = pg_catalog.pg_backend_pid() AND l.classid = 3673509457 AND l.objid = 4294967295 AND l.objsubid = 2 AND l.mode = 'ShareLock') THEN
      -- many groups: one summary-wide exclusive lock instead of one lock per slot (not when this
      -- transaction already holds it shared: upgrading would deadlock with another such transaction)
      PERFORM pg_catalog.pg_advisory_xact_lock(-621457839, -1);
    ELSE
      PERFORM pg_catalog.pg_advisory_xact_lock_shared(-621457839, -1), pg_catalog.pg_advisory_xact_lock(-621457839, slot)
      FROM pg_catalog.unnest(_tally_slots) AS slot;
    END IF;
  ELSE
    -- the wide key in shared mode (re-taking a held lock is free), then each slot, in array order
    PERFORM pg_catalog.pg_advisory_xact_lock_shared(-621457839, -1), pg_catalog.pg_advisory_xact_lock(-621457839, slot)
    FROM pg_catalog.unnest(_tally_slots) AS slot;
  END IF;

  -- Subtract the deleted rows' per-group partial aggregates from their groups.
  -- Collect the groups left empty (deleted below).
  WITH changed AS (
    INSERT INTO crm.user_talk_time AS s (user_id, total_talk_time, calls, _tally_rows, _tally_nn_total_talk_time)
    SELECT
      user_id,
      -sum(duration) FILTER (WHERE duration > 0) AS total_talk_time,
      -count(*) AS calls,
      -count(*) AS _tally_rows,
      -count(duration) FILTER (WHERE duration > 0) AS _tally_nn_total_talk_time
    FROM _tally_old
    GROUP BY 1
    ON CONFLICT (user_id) DO UPDATE SET
      total_talk_time = CASE WHEN s._tally_nn_total_talk_time + EXCLUDED._tally_nn_total_talk_time = 0 THEN NULL ELSE COALESCE(s.total_talk_time + EXCLUDED.total_talk_time, s.total_talk_time, EXCLUDED.total_talk_time) END,
      calls = s.calls + EXCLUDED.calls,
      _tally_rows = s._tally_rows + EXCLUDED._tally_rows,
      _tally_nn_total_talk_time = s._tally_nn_total_talk_time + EXCLUDED._tally_nn_total_talk_time
    RETURNING s.ctid AS row_id, s._tally_rows AS group_rows
  )
  SELECT array_agg(row_id) FILTER (WHERE group_rows <= 0)
  INTO _tally_gone
  FROM changed;

  -- A group with no rows left disappears, as it does from the defining query.
  IF _tally_gone IS NOT NULL THEN
    DELETE FROM crm.user_talk_time WHERE ctid = ANY (_tally_gone);
  END IF;
  RETURN NULL;
END;
$tally$;

REVOKE ALL ON FUNCTION crm.tally_user_talk_time_del() FROM PUBLIC;

CREATE FUNCTION crm.tally_user_talk_time_trunc() RETURNS trigger
LANGUAGE plpgsql
SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $tally$
-- Tally summary "user_talk_time": keeps crm.user_talk_time exact after TRUNCATE on crm.admin_user_call_log.
-- Runs once per statement.
#variable_conflict use_column
BEGIN
  -- Every group changes: take the summary-wide lock exclusively.
  PERFORM pg_catalog.pg_advisory_xact_lock(-621457839, -1);

  -- The source is empty: so is every group.
  DELETE FROM crm.user_talk_time;
  RETURN NULL;
END;
$tally$;

REVOKE ALL ON FUNCTION crm.tally_user_talk_time_trunc() FROM PUBLIC;

-- ==== Statement-level triggers on the source (SHARE ROW EXCLUSIVE lock on it until COMMIT) ====

CREATE TRIGGER tally_100_user_talk_time_ins
  AFTER INSERT ON crm.admin_user_call_log
  REFERENCING NEW TABLE AS _tally_new
  FOR EACH STATEMENT
  EXECUTE FUNCTION crm.tally_user_talk_time_ins();

CREATE TRIGGER tally_100_user_talk_time_upd
  AFTER UPDATE ON crm.admin_user_call_log
  REFERENCING OLD TABLE AS _tally_old NEW TABLE AS _tally_new
  FOR EACH STATEMENT
  EXECUTE FUNCTION crm.tally_user_talk_time_upd();

CREATE TRIGGER tally_100_user_talk_time_del
  AFTER DELETE ON crm.admin_user_call_log
  REFERENCING OLD TABLE AS _tally_old
  FOR EACH STATEMENT
  EXECUTE FUNCTION crm.tally_user_talk_time_del();

CREATE TRIGGER tally_100_user_talk_time_trunc
  AFTER TRUNCATE ON crm.admin_user_call_log
  FOR EACH STATEMENT
  EXECUTE FUNCTION crm.tally_user_talk_time_trunc();

-- ######## populate
-- ==== Populate from the source (optional; same transaction, after the triggers) ====

-- lets this transaction write the summary
SET LOCAL tally.maintenance = 'user_talk_time';

INSERT INTO crm.user_talk_time (user_id, total_talk_time, calls, _tally_rows, _tally_nn_total_talk_time)
SELECT
  user_id,
  sum(duration) FILTER (WHERE duration > 0) AS total_talk_time,
  count(*) AS calls,
  count(*) AS _tally_rows,
  count(duration) FILTER (WHERE duration > 0) AS _tally_nn_total_talk_time
FROM crm.admin_user_call_log
GROUP BY 1;

-- ######## uninstall
-- Removes Tally summary "user_talk_time": triggers first (maintenance stops), then the table and functions.
DROP TRIGGER IF EXISTS tally_100_user_talk_time_ins ON crm.admin_user_call_log;
DROP TRIGGER IF EXISTS tally_100_user_talk_time_upd ON crm.admin_user_call_log;
DROP TRIGGER IF EXISTS tally_100_user_talk_time_del ON crm.admin_user_call_log;
DROP TRIGGER IF EXISTS tally_100_user_talk_time_trunc ON crm.admin_user_call_log;
DROP TABLE IF EXISTS crm.user_talk_time;
DROP FUNCTION IF EXISTS crm.tally_user_talk_time_guard();
DROP FUNCTION IF EXISTS crm.tally_user_talk_time_ins();
DROP FUNCTION IF EXISTS crm.tally_user_talk_time_upd();
DROP FUNCTION IF EXISTS crm.tally_user_talk_time_del();
DROP FUNCTION IF EXISTS crm.tally_user_talk_time_trunc();
