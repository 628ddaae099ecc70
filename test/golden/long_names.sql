-- Golden SQL for case "long_names" (test/sqlgen/golden-cases.ts). Regenerate: UPDATE_GOLDEN=1 npx vitest run test/sqlgen/golden.test.ts

-- ######## warnings
-- [source_index_created] lowest_value_with_an_output_name_of_sixty_three_bytes_abcdefghi are recomputed per group from "ééééééééééééééééééééééééééééééé_".events: Tally creates index tally_a_summary_name_that_is_exactly_sixty_three_b_4f4880ae_src on (kkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkk) CONCURRENTLY before installing (it takes time and space on a large table)

-- ######## concurrent indexes (before the install transaction)
-- Recompute looks groups up by key on "ééééééééééééééééééééééééééééééé_".events. Run before the install, outside a transaction.
CREATE INDEX CONCURRENTLY IF NOT EXISTS tally_a_summary_name_that_is_exactly_sixty_three_b_4f4880ae_src ON "ééééééééééééééééééééééééééééééé_".events (kkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkk);

-- ######## install
-- Tally summary "a_summary_name_that_is_exactly_sixty_three_bytes_long_abcdefghi": "ééééééééééééééééééééééééééééééé_".a_summary_name_that_is_exactly_sixty_three_bytes_long_abcdefghi, kept exact by statement-level triggers on "ééééééééééééééééééééééééééééééé_".events.
--
-- Defining query (the visible columns of the summary table always equal its result):
--   SELECT
--     kkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkk,
--     sum(val) AS sum_of_values_with_an_output_name_of_sixty_three_bytes_abcdefgh,
--     min(val) AS lowest_value_with_an_output_name_of_sixty_three_bytes_abcdefghi,
--     avg(val) AS "äääääääääääääääääääääääääääääää"
--   FROM "ééééééééééééééééééééééééééééééé_".events
--   GROUP BY 1
--
-- Run in one transaction with a short lock_timeout: CREATE TRIGGER takes a SHARE ROW EXCLUSIVE
-- lock on "ééééééééééééééééééééééééééééééé_".events (its writers wait) until COMMIT.
-- Grants expected: the installing role owns "ééééééééééééééééééééééééééééééé_".a_summary_name_that_is_exactly_sixty_three_bytes_long_abcdefghi and the functions below, and has SELECT
-- and TRIGGER on "ééééééééééééééééééééééééééééééé_".events. The maintenance functions are SECURITY DEFINER with a pinned
-- search_path, so writers of "ééééééééééééééééééééééééééééééé_".events need no privilege on the summary; readers need only
--   GRANT SELECT ON "ééééééééééééééééééééééééééééééé_".a_summary_name_that_is_exactly_sixty_three_bytes_long_abcdefghi TO <reader>;
-- Group locks: pg_advisory_xact_lock(1448853997, slot), slot = hash_record(ROW(keys)) & 1023;
-- a statement touching more than 64 slots takes (1448853997, -1) exclusively instead.

-- ==== Summary table ====

-- Visible columns = the defining query's; _tally_* columns are Tally's bookkeeping.
-- Every write to a group rewrites its row: free space on each page keeps those updates HOT.
CREATE TABLE "ééééééééééééééééééééééééééééééé_".a_summary_name_that_is_exactly_sixty_three_bytes_long_abcdefghi (
  kkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkk integer,
  sum_of_values_with_an_output_name_of_sixty_three_bytes_abcdefgh bigint,
  lowest_value_with_an_output_name_of_sixty_three_bytes_abcdefghi integer,
  "äääääääääääääääääääääääääääääää" numeric GENERATED ALWAYS AS ("_tally_sum_äääääääääääääääääääää_3560199e"::numeric / NULLIF("_tally_nn_ääääääääääääääääääääää_cd555453", 0)::numeric) STORED,
  _tally_rows bigint NOT NULL,                      -- source rows in the group (passing WHERE)
  _tally_nn_sum_of_values_with_an_output_name_of_sixty_t_9a3eda47 bigint NOT NULL, -- non-NULL values in sum_of_values_with_an_output_name_of_sixty_three_bytes_abcdefgh
  _tally_removed_lowest_value_with_an_output_name_of_six_a2d5d8fe integer, -- NULL at rest; a removed min value while lowest_value_with_an_output_name_of_sixty_three_bytes_abcdefghi is recomputed
  "_tally_sum_äääääääääääääääääääää_3560199e" bigint, -- running sum behind äääääääääääääääääääääääääääääää
  "_tally_nn_ääääääääääääääääääääää_cd555453" bigint NOT NULL -- non-NULL values behind äääääääääääääääääääääääääääääää
) WITH (fillfactor = 70);

COMMENT ON TABLE "ééééééééééééééééééééééééééééééé_".a_summary_name_that_is_exactly_sixty_three_bytes_long_abcdefghi IS 'Tally summary "a_summary_name_that_is_exactly_sixty_three_bytes_long_abcdefghi", kept equal to this query by triggers on "ééééééééééééééééééééééééééééééé_".events:
SELECT
  kkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkk,
  sum(val) AS sum_of_values_with_an_output_name_of_sixty_three_bytes_abcdefgh,
  min(val) AS lowest_value_with_an_output_name_of_sixty_three_bytes_abcdefghi,
  avg(val) AS "äääääääääääääääääääääääääääääää"
FROM "ééééééééééééééééééééééééééééééé_".events
GROUP BY 1';

-- One row per group; NULL keys form a group, as in GROUP BY.
CREATE UNIQUE INDEX tally_a_summary_name_that_is_exactly_sixty_three_b_c14e30c6_key ON "ééééééééééééééééééééééééééééééé_".a_summary_name_that_is_exactly_sixty_three_bytes_long_abcdefghi (kkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkk) NULLS NOT DISTINCT;

-- ==== Guard: the summary table is read-only except to maintenance ====

CREATE FUNCTION "ééééééééééééééééééééééééééééééé_".tally_a_summary_name_that_is_exactly_sixty_three_4cba6ebe_guard() RETURNS trigger
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $tally$
-- Tally summary "a_summary_name_that_is_exactly_sixty_three_bytes_long_abcdefghi": refuses writes to "ééééééééééééééééééééééééééééééé_".a_summary_name_that_is_exactly_sixty_three_bytes_long_abcdefghi that do not come from its maintenance.
#variable_conflict use_column
BEGIN
  -- Tally's backfill and repair mark their transaction: SET LOCAL tally.maintenance = 'a_summary_name_that_is_exactly_sixty_three_bytes_long_abcdefghi'
  IF pg_catalog.current_setting('tally.maintenance', true) IS NOT DISTINCT FROM 'a_summary_name_that_is_exactly_sixty_three_bytes_long_abcdefghi' THEN
    RETURN NULL;
  END IF;
  RAISE EXCEPTION USING
    ERRCODE = 'insufficient_privilege',
    MESSAGE = '"ééééééééééééééééééééééééééééééé_".a_summary_name_that_is_exactly_sixty_three_bytes_long_abcdefghi is a summary table maintained by Tally (summary "a_summary_name_that_is_exactly_sixty_three_bytes_long_abcdefghi"); it cannot be written directly',
    DETAIL = 'Only the triggers on "ééééééééééééééééééééééééééééééé_".events (and Tally''s backfill and repair) change it; a direct write would make it disagree with its defining query.',
    HINT = 'Write to "ééééééééééééééééééééééééééééééé_".events instead. To repair drift: tally reconcile a_summary_name_that_is_exactly_sixty_three_bytes_long_abcdefghi --repair';
END;
$tally$;

REVOKE ALL ON FUNCTION "ééééééééééééééééééééééééééééééé_".tally_a_summary_name_that_is_exactly_sixty_three_4cba6ebe_guard() FROM PUBLIC;

-- Direct writes fail with a clear error; the maintenance triggers pass without a function call.
CREATE TRIGGER tally_000_guard
  BEFORE INSERT OR UPDATE OR DELETE OR TRUNCATE ON "ééééééééééééééééééééééééééééééé_".a_summary_name_that_is_exactly_sixty_three_bytes_long_abcdefghi
  FOR EACH STATEMENT
  WHEN (pg_catalog.pg_trigger_depth() < 1)
  EXECUTE FUNCTION "ééééééééééééééééééééééééééééééé_".tally_a_summary_name_that_is_exactly_sixty_three_4cba6ebe_guard();

-- ==== Maintenance functions (one per source event) ====

CREATE FUNCTION "ééééééééééééééééééééééééééééééé_".tally_a_summary_name_that_is_exactly_sixty_three_b_e09f74b1_ins() RETURNS trigger
LANGUAGE plpgsql
SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $tally$
-- Tally summary "a_summary_name_that_is_exactly_sixty_three_bytes_long_abcdefghi": keeps "ééééééééééééééééééééééééééééééé_".a_summary_name_that_is_exactly_sixty_three_bytes_long_abcdefghi exact after INSERT on "ééééééééééééééééééééééééééééééé_".events.
-- Runs once per statement and sees all its rows in the transition table(s).
#variable_conflict use_column
DECLARE
  _tally_slots integer[];
BEGIN
  -- Lock the groups this statement touches before reading or writing them: one lock per slot
  -- (hash of the group key), taken in ascending order so writers cannot deadlock.
  _tally_slots := ARRAY(
    SELECT DISTINCT pg_catalog.hash_record(ROW(kkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkk)) & 1023 AS slot FROM _tally_new
    ORDER BY 1
  );
  IF _tally_slots = '{}' THEN
    RETURN NULL; -- no row passes the summary's WHERE: nothing to maintain
  END IF;
  IF pg_catalog.cardinality(_tally_slots) > 64 THEN
    IF NOT EXISTS (SELECT 1 FROM pg_catalog.pg_locks AS l WHERE l.locktype = 'advisory' AND l.pid = pg_catalog.pg_backend_pid() AND l.classid = 1448853997 AND l.objid = 4294967295 AND l.objsubid = 2 AND l.mode = 'ShareLock') THEN
      -- many groups: one summary-wide exclusive lock instead of one lock per slot (not when this
      -- transaction already holds it shared: upgrading would deadlock with another such transaction)
      PERFORM pg_catalog.pg_advisory_xact_lock(1448853997, -1);
    ELSE
      PERFORM pg_catalog.pg_advisory_xact_lock_shared(1448853997, -1), pg_catalog.pg_advisory_xact_lock(1448853997, slot)
      FROM pg_catalog.unnest(_tally_slots) AS slot;
    END IF;
  ELSE
    -- the wide key in shared mode (re-taking a held lock is free), then each slot, in array order
    PERFORM pg_catalog.pg_advisory_xact_lock_shared(1448853997, -1), pg_catalog.pg_advisory_xact_lock(1448853997, slot)
    FROM pg_catalog.unnest(_tally_slots) AS slot;
  END IF;

  -- Add the new rows' per-group partial aggregates to their groups (creating new groups).
  INSERT INTO "ééééééééééééééééééééééééééééééé_".a_summary_name_that_is_exactly_sixty_three_bytes_long_abcdefghi AS s (kkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkk, sum_of_values_with_an_output_name_of_sixty_three_bytes_abcdefgh, lowest_value_with_an_output_name_of_sixty_three_bytes_abcdefghi, _tally_rows, _tally_nn_sum_of_values_with_an_output_name_of_sixty_t_9a3eda47, "_tally_sum_äääääääääääääääääääää_3560199e", "_tally_nn_ääääääääääääääääääääää_cd555453")
  SELECT
    kkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkk,
    sum(val) AS sum_of_values_with_an_output_name_of_sixty_three_bytes_abcdefgh,
    min(val) AS lowest_value_with_an_output_name_of_sixty_three_bytes_abcdefghi,
    count(*) AS _tally_rows,
    count(val) AS _tally_nn_sum_of_values_with_an_output_name_of_sixty_t_9a3eda47,
    sum(val) AS "_tally_sum_äääääääääääääääääääää_3560199e",
    count(val) AS "_tally_nn_ääääääääääääääääääääää_cd555453"
  FROM _tally_new
  GROUP BY 1
  ON CONFLICT (kkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkk) DO UPDATE SET
    sum_of_values_with_an_output_name_of_sixty_three_bytes_abcdefgh = COALESCE(s.sum_of_values_with_an_output_name_of_sixty_three_bytes_abcdefgh + EXCLUDED.sum_of_values_with_an_output_name_of_sixty_three_bytes_abcdefgh, s.sum_of_values_with_an_output_name_of_sixty_three_bytes_abcdefgh, EXCLUDED.sum_of_values_with_an_output_name_of_sixty_three_bytes_abcdefgh),
    lowest_value_with_an_output_name_of_sixty_three_bytes_abcdefghi = LEAST(s.lowest_value_with_an_output_name_of_sixty_three_bytes_abcdefghi, EXCLUDED.lowest_value_with_an_output_name_of_sixty_three_bytes_abcdefghi),
    _tally_rows = s._tally_rows + EXCLUDED._tally_rows,
    _tally_nn_sum_of_values_with_an_output_name_of_sixty_t_9a3eda47 = s._tally_nn_sum_of_values_with_an_output_name_of_sixty_t_9a3eda47 + EXCLUDED._tally_nn_sum_of_values_with_an_output_name_of_sixty_t_9a3eda47,
    "_tally_sum_äääääääääääääääääääää_3560199e" = COALESCE(s."_tally_sum_äääääääääääääääääääää_3560199e" + EXCLUDED."_tally_sum_äääääääääääääääääääää_3560199e", s."_tally_sum_äääääääääääääääääääää_3560199e", EXCLUDED."_tally_sum_äääääääääääääääääääää_3560199e"),
    "_tally_nn_ääääääääääääääääääääää_cd555453" = s."_tally_nn_ääääääääääääääääääääää_cd555453" + EXCLUDED."_tally_nn_ääääääääääääääääääääää_cd555453";
  RETURN NULL;
END;
$tally$;

REVOKE ALL ON FUNCTION "ééééééééééééééééééééééééééééééé_".tally_a_summary_name_that_is_exactly_sixty_three_b_e09f74b1_ins() FROM PUBLIC;

CREATE FUNCTION "ééééééééééééééééééééééééééééééé_".tally_a_summary_name_that_is_exactly_sixty_three_b_6c7acfef_upd() RETURNS trigger
LANGUAGE plpgsql
SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $tally$
-- Tally summary "a_summary_name_that_is_exactly_sixty_three_bytes_long_abcdefghi": keeps "ééééééééééééééééééééééééééééééé_".a_summary_name_that_is_exactly_sixty_three_bytes_long_abcdefghi exact after UPDATE on "ééééééééééééééééééééééééééééééé_".events.
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
    SELECT pg_catalog.hash_record(ROW(kkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkk)) & 1023 AS slot FROM _tally_new
    UNION
    SELECT pg_catalog.hash_record(ROW(kkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkk)) & 1023 AS slot FROM _tally_old
    ORDER BY 1
  );
  IF _tally_slots = '{}' THEN
    RETURN NULL; -- no row passes the summary's WHERE: nothing to maintain
  END IF;
  IF pg_catalog.cardinality(_tally_slots) > 64 THEN
    IF NOT EXISTS (SELECT 1 FROM pg_catalog.pg_locks AS l WHERE l.locktype = 'advisory' AND l.pid = pg_catalog.pg_backend_pid() AND l.classid = 1448853997 AND l.objid = 4294967295 AND l.objsubid = 2 AND l.mode = 'ShareLock') THEN
      -- many groups: one summary-wide exclusive lock instead of one lock per slot (not when this
      -- transaction already holds it shared: upgrading would deadlock with another such transaction)
      PERFORM pg_catalog.pg_advisory_xact_lock(1448853997, -1);
    ELSE
      PERFORM pg_catalog.pg_advisory_xact_lock_shared(1448853997, -1), pg_catalog.pg_advisory_xact_lock(1448853997, slot)
      FROM pg_catalog.unnest(_tally_slots) AS slot;
    END IF;
  ELSE
    -- the wide key in shared mode (re-taking a held lock is free), then each slot, in array order
    PERFORM pg_catalog.pg_advisory_xact_lock_shared(1448853997, -1), pg_catalog.pg_advisory_xact_lock(1448853997, slot)
    FROM pg_catalog.unnest(_tally_slots) AS slot;
  END IF;

  -- Add what the new row versions contribute and subtract what the old ones did, per group;
  -- groups whose aggregates do not change are skipped.
  -- Collect the groups left empty (deleted below) and those to recompute from the source.
  WITH changed AS (
    INSERT INTO "ééééééééééééééééééééééééééééééé_".a_summary_name_that_is_exactly_sixty_three_bytes_long_abcdefghi AS s (kkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkk, sum_of_values_with_an_output_name_of_sixty_three_bytes_abcdefgh, lowest_value_with_an_output_name_of_sixty_three_bytes_abcdefghi, _tally_rows, _tally_nn_sum_of_values_with_an_output_name_of_sixty_t_9a3eda47, _tally_removed_lowest_value_with_an_output_name_of_six_a2d5d8fe, "_tally_sum_äääääääääääääääääääää_3560199e", "_tally_nn_ääääääääääääääääääääää_cd555453")
    SELECT *
    FROM (
      SELECT
        kkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkk,
        sum(val * _tally_sign) AS sum_of_values_with_an_output_name_of_sixty_three_bytes_abcdefgh,
        min(val) FILTER (WHERE _tally_sign > 0) AS lowest_value_with_an_output_name_of_sixty_three_bytes_abcdefghi,
        sum(_tally_sign) AS _tally_rows,
        count(val) FILTER (WHERE _tally_sign > 0) - count(val) FILTER (WHERE _tally_sign < 0) AS _tally_nn_sum_of_values_with_an_output_name_of_sixty_t_9a3eda47,
        min(val) FILTER (WHERE _tally_sign < 0) AS _tally_removed_lowest_value_with_an_output_name_of_six_a2d5d8fe,
        sum(val * _tally_sign) AS "_tally_sum_äääääääääääääääääääää_3560199e",
        count(val) FILTER (WHERE _tally_sign > 0) - count(val) FILTER (WHERE _tally_sign < 0) AS "_tally_nn_ääääääääääääääääääääää_cd555453"
      FROM (
        SELECT t.*, 1::bigint AS _tally_sign FROM _tally_new AS t
        UNION ALL
        SELECT t.*, -1 FROM _tally_old AS t
      ) AS d
      GROUP BY 1
    ) AS g
    WHERE g.sum_of_values_with_an_output_name_of_sixty_three_bytes_abcdefgh <> 0
       OR g.lowest_value_with_an_output_name_of_sixty_three_bytes_abcdefghi IS NOT NULL
       OR g._tally_rows <> 0
       OR g._tally_nn_sum_of_values_with_an_output_name_of_sixty_t_9a3eda47 <> 0
       OR g._tally_removed_lowest_value_with_an_output_name_of_six_a2d5d8fe IS NOT NULL
       OR g."_tally_sum_äääääääääääääääääääää_3560199e" <> 0
       OR g."_tally_nn_ääääääääääääääääääääää_cd555453" <> 0
    ON CONFLICT (kkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkk) DO UPDATE SET
      sum_of_values_with_an_output_name_of_sixty_three_bytes_abcdefgh = CASE WHEN s._tally_nn_sum_of_values_with_an_output_name_of_sixty_t_9a3eda47 + EXCLUDED._tally_nn_sum_of_values_with_an_output_name_of_sixty_t_9a3eda47 = 0 THEN NULL ELSE COALESCE(s.sum_of_values_with_an_output_name_of_sixty_three_bytes_abcdefgh + EXCLUDED.sum_of_values_with_an_output_name_of_sixty_three_bytes_abcdefgh, s.sum_of_values_with_an_output_name_of_sixty_three_bytes_abcdefgh, EXCLUDED.sum_of_values_with_an_output_name_of_sixty_three_bytes_abcdefgh) END,
      lowest_value_with_an_output_name_of_sixty_three_bytes_abcdefghi = LEAST(s.lowest_value_with_an_output_name_of_sixty_three_bytes_abcdefghi, EXCLUDED.lowest_value_with_an_output_name_of_sixty_three_bytes_abcdefghi),
      _tally_rows = s._tally_rows + EXCLUDED._tally_rows,
      _tally_nn_sum_of_values_with_an_output_name_of_sixty_t_9a3eda47 = s._tally_nn_sum_of_values_with_an_output_name_of_sixty_t_9a3eda47 + EXCLUDED._tally_nn_sum_of_values_with_an_output_name_of_sixty_t_9a3eda47,
      _tally_removed_lowest_value_with_an_output_name_of_six_a2d5d8fe = CASE WHEN EXCLUDED._tally_removed_lowest_value_with_an_output_name_of_six_a2d5d8fe IS NOT NULL AND (s.lowest_value_with_an_output_name_of_sixty_three_bytes_abcdefghi IS NULL OR EXCLUDED._tally_removed_lowest_value_with_an_output_name_of_six_a2d5d8fe <= s.lowest_value_with_an_output_name_of_sixty_three_bytes_abcdefghi) AND (EXCLUDED.lowest_value_with_an_output_name_of_sixty_three_bytes_abcdefghi IS NULL OR EXCLUDED.lowest_value_with_an_output_name_of_sixty_three_bytes_abcdefghi > EXCLUDED._tally_removed_lowest_value_with_an_output_name_of_six_a2d5d8fe) THEN EXCLUDED._tally_removed_lowest_value_with_an_output_name_of_six_a2d5d8fe END,
      "_tally_sum_äääääääääääääääääääää_3560199e" = CASE WHEN s."_tally_nn_ääääääääääääääääääääää_cd555453" + EXCLUDED."_tally_nn_ääääääääääääääääääääää_cd555453" = 0 THEN NULL ELSE COALESCE(s."_tally_sum_äääääääääääääääääääää_3560199e" + EXCLUDED."_tally_sum_äääääääääääääääääääää_3560199e", s."_tally_sum_äääääääääääääääääääää_3560199e", EXCLUDED."_tally_sum_äääääääääääääääääääää_3560199e") END,
      "_tally_nn_ääääääääääääääääääääää_cd555453" = s."_tally_nn_ääääääääääääääääääääää_cd555453" + EXCLUDED."_tally_nn_ääääääääääääääääääääää_cd555453"
    RETURNING s.ctid AS row_id, s._tally_rows AS group_rows, (s._tally_removed_lowest_value_with_an_output_name_of_six_a2d5d8fe IS NOT NULL) AS stale
  )
  SELECT array_agg(row_id) FILTER (WHERE group_rows <= 0), array_agg(row_id) FILTER (WHERE group_rows > 0 AND stale)
  INTO _tally_gone, _tally_stale
  FROM changed;

  -- A group with no rows left disappears, as it does from the defining query.
  IF _tally_gone IS NOT NULL THEN
    DELETE FROM "ééééééééééééééééééééééééééééééé_".a_summary_name_that_is_exactly_sixty_three_bytes_long_abcdefghi WHERE ctid = ANY (_tally_gone);
  END IF;

  -- REPEATABLE READ / SERIALIZABLE: the recompute below reads this transaction's snapshot.
  -- Locking the groups' rows as that snapshot sees them raises 40001 (could not serialize)
  -- if another transaction changed these groups since: a retryable error, never drift.
  IF _tally_stale IS NOT NULL AND pg_catalog.current_setting('transaction_isolation') <> 'read committed' THEN
    PERFORM 1 FROM "ééééééééééééééééééééééééééééééé_".a_summary_name_that_is_exactly_sixty_three_bytes_long_abcdefghi AS o
    WHERE o.ctid = ANY (ARRAY(
      SELECT x.ctid
      FROM "ééééééééééééééééééééééééééééééé_".a_summary_name_that_is_exactly_sixty_three_bytes_long_abcdefghi AS s
        CROSS JOIN LATERAL (
          SELECT x.ctid FROM "ééééééééééééééééééééééééééééééé_".a_summary_name_that_is_exactly_sixty_three_bytes_long_abcdefghi AS x WHERE x.kkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkk = s.kkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkk
          UNION ALL
          SELECT x.ctid FROM "ééééééééééééééééééééééééééééééé_".a_summary_name_that_is_exactly_sixty_three_bytes_long_abcdefghi AS x WHERE s.kkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkk IS NULL AND x.kkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkk IS NULL
        ) AS x
      WHERE s.ctid = ANY (_tally_stale)
    ))
    FOR UPDATE OF o;
  END IF;

  -- Recompute what the delta cannot undo (a removed min/max or numeric scale, count(DISTINCT …),
  -- array_agg) for just the stale groups, from the source, under the group locks. Sums are never
  -- recomputed: another trigger of the same statement adds its rows' delta to them.
  IF _tally_stale IS NOT NULL THEN
    UPDATE "ééééééééééééééééééééééééééééééé_".a_summary_name_that_is_exactly_sixty_three_bytes_long_abcdefghi AS s SET
      lowest_value_with_an_output_name_of_sixty_three_bytes_abcdefghi = (
        SELECT min(val)
        FROM (
          SELECT * FROM "ééééééééééééééééééééééééééééééé_".events AS t WHERE kkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkk = s.kkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkk
          UNION ALL
          SELECT * FROM "ééééééééééééééééééééééééééééééé_".events AS t WHERE s.kkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkk IS NULL AND kkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkk IS NULL
        ) AS t
      ),
      _tally_removed_lowest_value_with_an_output_name_of_six_a2d5d8fe = NULL
    WHERE s.ctid = ANY (_tally_stale);
  END IF;
  RETURN NULL;
END;
$tally$;

REVOKE ALL ON FUNCTION "ééééééééééééééééééééééééééééééé_".tally_a_summary_name_that_is_exactly_sixty_three_b_6c7acfef_upd() FROM PUBLIC;

CREATE FUNCTION "ééééééééééééééééééééééééééééééé_".tally_a_summary_name_that_is_exactly_sixty_three_b_1be938c2_del() RETURNS trigger
LANGUAGE plpgsql
SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $tally$
-- Tally summary "a_summary_name_that_is_exactly_sixty_three_bytes_long_abcdefghi": keeps "ééééééééééééééééééééééééééééééé_".a_summary_name_that_is_exactly_sixty_three_bytes_long_abcdefghi exact after DELETE on "ééééééééééééééééééééééééééééééé_".events.
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
    SELECT DISTINCT pg_catalog.hash_record(ROW(kkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkk)) & 1023 AS slot FROM _tally_old
    ORDER BY 1
  );
  IF _tally_slots = '{}' THEN
    RETURN NULL; -- no row passes the summary's WHERE: nothing to maintain
  END IF;
  IF pg_catalog.cardinality(_tally_slots) > 64 THEN
    IF NOT EXISTS (SELECT 1 FROM pg_catalog.pg_locks AS l WHERE l.locktype = 'advisory' AND l.pid = pg_catalog.pg_backend_pid() AND l.classid = 1448853997 AND l.objid = 4294967295 AND l.objsubid = 2 AND l.mode = 'ShareLock') THEN
      -- many groups: one summary-wide exclusive lock instead of one lock per slot (not when this
      -- transaction already holds it shared: upgrading would deadlock with another such transaction)
      PERFORM pg_catalog.pg_advisory_xact_lock(1448853997, -1);
    ELSE
      PERFORM pg_catalog.pg_advisory_xact_lock_shared(1448853997, -1), pg_catalog.pg_advisory_xact_lock(1448853997, slot)
      FROM pg_catalog.unnest(_tally_slots) AS slot;
    END IF;
  ELSE
    -- the wide key in shared mode (re-taking a held lock is free), then each slot, in array order
    PERFORM pg_catalog.pg_advisory_xact_lock_shared(1448853997, -1), pg_catalog.pg_advisory_xact_lock(1448853997, slot)
    FROM pg_catalog.unnest(_tally_slots) AS slot;
  END IF;

  -- Subtract the deleted rows' per-group partial aggregates from their groups.
  -- Collect the groups left empty (deleted below) and those to recompute from the source.
  WITH changed AS (
    INSERT INTO "ééééééééééééééééééééééééééééééé_".a_summary_name_that_is_exactly_sixty_three_bytes_long_abcdefghi AS s (kkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkk, sum_of_values_with_an_output_name_of_sixty_three_bytes_abcdefgh, _tally_rows, _tally_nn_sum_of_values_with_an_output_name_of_sixty_t_9a3eda47, _tally_removed_lowest_value_with_an_output_name_of_six_a2d5d8fe, "_tally_sum_äääääääääääääääääääää_3560199e", "_tally_nn_ääääääääääääääääääääää_cd555453")
    SELECT
      kkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkk,
      -sum(val) AS sum_of_values_with_an_output_name_of_sixty_three_bytes_abcdefgh,
      -count(*) AS _tally_rows,
      -count(val) AS _tally_nn_sum_of_values_with_an_output_name_of_sixty_t_9a3eda47,
      min(val) AS _tally_removed_lowest_value_with_an_output_name_of_six_a2d5d8fe,
      -sum(val) AS "_tally_sum_äääääääääääääääääääää_3560199e",
      -count(val) AS "_tally_nn_ääääääääääääääääääääää_cd555453"
    FROM _tally_old
    GROUP BY 1
    ON CONFLICT (kkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkk) DO UPDATE SET
      sum_of_values_with_an_output_name_of_sixty_three_bytes_abcdefgh = CASE WHEN s._tally_nn_sum_of_values_with_an_output_name_of_sixty_t_9a3eda47 + EXCLUDED._tally_nn_sum_of_values_with_an_output_name_of_sixty_t_9a3eda47 = 0 THEN NULL ELSE COALESCE(s.sum_of_values_with_an_output_name_of_sixty_three_bytes_abcdefgh + EXCLUDED.sum_of_values_with_an_output_name_of_sixty_three_bytes_abcdefgh, s.sum_of_values_with_an_output_name_of_sixty_three_bytes_abcdefgh, EXCLUDED.sum_of_values_with_an_output_name_of_sixty_three_bytes_abcdefgh) END,
      _tally_rows = s._tally_rows + EXCLUDED._tally_rows,
      _tally_nn_sum_of_values_with_an_output_name_of_sixty_t_9a3eda47 = s._tally_nn_sum_of_values_with_an_output_name_of_sixty_t_9a3eda47 + EXCLUDED._tally_nn_sum_of_values_with_an_output_name_of_sixty_t_9a3eda47,
      _tally_removed_lowest_value_with_an_output_name_of_six_a2d5d8fe = CASE WHEN EXCLUDED._tally_removed_lowest_value_with_an_output_name_of_six_a2d5d8fe IS NOT NULL AND (s.lowest_value_with_an_output_name_of_sixty_three_bytes_abcdefghi IS NULL OR EXCLUDED._tally_removed_lowest_value_with_an_output_name_of_six_a2d5d8fe <= s.lowest_value_with_an_output_name_of_sixty_three_bytes_abcdefghi) THEN EXCLUDED._tally_removed_lowest_value_with_an_output_name_of_six_a2d5d8fe END,
      "_tally_sum_äääääääääääääääääääää_3560199e" = CASE WHEN s."_tally_nn_ääääääääääääääääääääää_cd555453" + EXCLUDED."_tally_nn_ääääääääääääääääääääää_cd555453" = 0 THEN NULL ELSE COALESCE(s."_tally_sum_äääääääääääääääääääää_3560199e" + EXCLUDED."_tally_sum_äääääääääääääääääääää_3560199e", s."_tally_sum_äääääääääääääääääääää_3560199e", EXCLUDED."_tally_sum_äääääääääääääääääääää_3560199e") END,
      "_tally_nn_ääääääääääääääääääääää_cd555453" = s."_tally_nn_ääääääääääääääääääääää_cd555453" + EXCLUDED."_tally_nn_ääääääääääääääääääääää_cd555453"
    RETURNING s.ctid AS row_id, s._tally_rows AS group_rows, (s._tally_removed_lowest_value_with_an_output_name_of_six_a2d5d8fe IS NOT NULL) AS stale
  )
  SELECT array_agg(row_id) FILTER (WHERE group_rows <= 0), array_agg(row_id) FILTER (WHERE group_rows > 0 AND stale)
  INTO _tally_gone, _tally_stale
  FROM changed;

  -- A group with no rows left disappears, as it does from the defining query.
  IF _tally_gone IS NOT NULL THEN
    DELETE FROM "ééééééééééééééééééééééééééééééé_".a_summary_name_that_is_exactly_sixty_three_bytes_long_abcdefghi WHERE ctid = ANY (_tally_gone);
  END IF;

  -- REPEATABLE READ / SERIALIZABLE: the recompute below reads this transaction's snapshot.
  -- Locking the groups' rows as that snapshot sees them raises 40001 (could not serialize)
  -- if another transaction changed these groups since: a retryable error, never drift.
  IF _tally_stale IS NOT NULL AND pg_catalog.current_setting('transaction_isolation') <> 'read committed' THEN
    PERFORM 1 FROM "ééééééééééééééééééééééééééééééé_".a_summary_name_that_is_exactly_sixty_three_bytes_long_abcdefghi AS o
    WHERE o.ctid = ANY (ARRAY(
      SELECT x.ctid
      FROM "ééééééééééééééééééééééééééééééé_".a_summary_name_that_is_exactly_sixty_three_bytes_long_abcdefghi AS s
        CROSS JOIN LATERAL (
          SELECT x.ctid FROM "ééééééééééééééééééééééééééééééé_".a_summary_name_that_is_exactly_sixty_three_bytes_long_abcdefghi AS x WHERE x.kkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkk = s.kkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkk
          UNION ALL
          SELECT x.ctid FROM "ééééééééééééééééééééééééééééééé_".a_summary_name_that_is_exactly_sixty_three_bytes_long_abcdefghi AS x WHERE s.kkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkk IS NULL AND x.kkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkk IS NULL
        ) AS x
      WHERE s.ctid = ANY (_tally_stale)
    ))
    FOR UPDATE OF o;
  END IF;

  -- Recompute what the delta cannot undo (a removed min/max or numeric scale, count(DISTINCT …),
  -- array_agg) for just the stale groups, from the source, under the group locks. Sums are never
  -- recomputed: another trigger of the same statement adds its rows' delta to them.
  IF _tally_stale IS NOT NULL THEN
    UPDATE "ééééééééééééééééééééééééééééééé_".a_summary_name_that_is_exactly_sixty_three_bytes_long_abcdefghi AS s SET
      lowest_value_with_an_output_name_of_sixty_three_bytes_abcdefghi = (
        SELECT min(val)
        FROM (
          SELECT * FROM "ééééééééééééééééééééééééééééééé_".events AS t WHERE kkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkk = s.kkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkk
          UNION ALL
          SELECT * FROM "ééééééééééééééééééééééééééééééé_".events AS t WHERE s.kkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkk IS NULL AND kkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkk IS NULL
        ) AS t
      ),
      _tally_removed_lowest_value_with_an_output_name_of_six_a2d5d8fe = NULL
    WHERE s.ctid = ANY (_tally_stale);
  END IF;
  RETURN NULL;
END;
$tally$;

REVOKE ALL ON FUNCTION "ééééééééééééééééééééééééééééééé_".tally_a_summary_name_that_is_exactly_sixty_three_b_1be938c2_del() FROM PUBLIC;

CREATE FUNCTION "ééééééééééééééééééééééééééééééé_".tally_a_summary_name_that_is_exactly_sixty_three_9857b17b_trunc() RETURNS trigger
LANGUAGE plpgsql
SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $tally$
-- Tally summary "a_summary_name_that_is_exactly_sixty_three_bytes_long_abcdefghi": keeps "ééééééééééééééééééééééééééééééé_".a_summary_name_that_is_exactly_sixty_three_bytes_long_abcdefghi exact after TRUNCATE on "ééééééééééééééééééééééééééééééé_".events.
-- Runs once per statement.
#variable_conflict use_column
BEGIN
  -- Every group changes: take the summary-wide lock exclusively.
  PERFORM pg_catalog.pg_advisory_xact_lock(1448853997, -1);

  -- The source is empty: so is every group.
  DELETE FROM "ééééééééééééééééééééééééééééééé_".a_summary_name_that_is_exactly_sixty_three_bytes_long_abcdefghi;
  RETURN NULL;
END;
$tally$;

REVOKE ALL ON FUNCTION "ééééééééééééééééééééééééééééééé_".tally_a_summary_name_that_is_exactly_sixty_three_9857b17b_trunc() FROM PUBLIC;

-- ==== Statement-level triggers on the source (SHARE ROW EXCLUSIVE lock on it until COMMIT) ====

CREATE TRIGGER tally_100_a_summary_name_that_is_exactly_sixty_thr_547f8b86_ins
  AFTER INSERT ON "ééééééééééééééééééééééééééééééé_".events
  REFERENCING NEW TABLE AS _tally_new
  FOR EACH STATEMENT
  EXECUTE FUNCTION "ééééééééééééééééééééééééééééééé_".tally_a_summary_name_that_is_exactly_sixty_three_b_e09f74b1_ins();

CREATE TRIGGER tally_100_a_summary_name_that_is_exactly_sixty_thr_82ffdee1_upd
  AFTER UPDATE ON "ééééééééééééééééééééééééééééééé_".events
  REFERENCING OLD TABLE AS _tally_old NEW TABLE AS _tally_new
  FOR EACH STATEMENT
  EXECUTE FUNCTION "ééééééééééééééééééééééééééééééé_".tally_a_summary_name_that_is_exactly_sixty_three_b_6c7acfef_upd();

CREATE TRIGGER tally_100_a_summary_name_that_is_exactly_sixty_thr_1dfc1b4e_del
  AFTER DELETE ON "ééééééééééééééééééééééééééééééé_".events
  REFERENCING OLD TABLE AS _tally_old
  FOR EACH STATEMENT
  EXECUTE FUNCTION "ééééééééééééééééééééééééééééééé_".tally_a_summary_name_that_is_exactly_sixty_three_b_1be938c2_del();

CREATE TRIGGER tally_100_a_summary_name_that_is_exactly_sixty_t_a331e0c1_trunc
  AFTER TRUNCATE ON "ééééééééééééééééééééééééééééééé_".events
  FOR EACH STATEMENT
  EXECUTE FUNCTION "ééééééééééééééééééééééééééééééé_".tally_a_summary_name_that_is_exactly_sixty_three_9857b17b_trunc();

-- ######## populate
-- ==== Populate from the source (optional; same transaction, after the triggers) ====

-- lets this transaction write the summary
SET LOCAL tally.maintenance = 'a_summary_name_that_is_exactly_sixty_three_bytes_long_abcdefghi';

INSERT INTO "ééééééééééééééééééééééééééééééé_".a_summary_name_that_is_exactly_sixty_three_bytes_long_abcdefghi (kkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkk, sum_of_values_with_an_output_name_of_sixty_three_bytes_abcdefgh, lowest_value_with_an_output_name_of_sixty_three_bytes_abcdefghi, _tally_rows, _tally_nn_sum_of_values_with_an_output_name_of_sixty_t_9a3eda47, "_tally_sum_äääääääääääääääääääää_3560199e", "_tally_nn_ääääääääääääääääääääää_cd555453")
SELECT
  kkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkk,
  sum(val) AS sum_of_values_with_an_output_name_of_sixty_three_bytes_abcdefgh,
  min(val) AS lowest_value_with_an_output_name_of_sixty_three_bytes_abcdefghi,
  count(*) AS _tally_rows,
  count(val) AS _tally_nn_sum_of_values_with_an_output_name_of_sixty_t_9a3eda47,
  sum(val) AS "_tally_sum_äääääääääääääääääääää_3560199e",
  count(val) AS "_tally_nn_ääääääääääääääääääääää_cd555453"
FROM "ééééééééééééééééééééééééééééééé_".events
GROUP BY 1;

-- ######## uninstall
-- Removes Tally summary "a_summary_name_that_is_exactly_sixty_three_bytes_long_abcdefghi": triggers first (maintenance stops), then the table and functions.
DROP TRIGGER IF EXISTS tally_100_a_summary_name_that_is_exactly_sixty_thr_547f8b86_ins ON "ééééééééééééééééééééééééééééééé_".events;
DROP TRIGGER IF EXISTS tally_100_a_summary_name_that_is_exactly_sixty_thr_82ffdee1_upd ON "ééééééééééééééééééééééééééééééé_".events;
DROP TRIGGER IF EXISTS tally_100_a_summary_name_that_is_exactly_sixty_thr_1dfc1b4e_del ON "ééééééééééééééééééééééééééééééé_".events;
DROP TRIGGER IF EXISTS tally_100_a_summary_name_that_is_exactly_sixty_t_a331e0c1_trunc ON "ééééééééééééééééééééééééééééééé_".events;
DROP TABLE IF EXISTS "ééééééééééééééééééééééééééééééé_".a_summary_name_that_is_exactly_sixty_three_bytes_long_abcdefghi;
DROP FUNCTION IF EXISTS "ééééééééééééééééééééééééééééééé_".tally_a_summary_name_that_is_exactly_sixty_three_4cba6ebe_guard();
DROP FUNCTION IF EXISTS "ééééééééééééééééééééééééééééééé_".tally_a_summary_name_that_is_exactly_sixty_three_b_e09f74b1_ins();
DROP FUNCTION IF EXISTS "ééééééééééééééééééééééééééééééé_".tally_a_summary_name_that_is_exactly_sixty_three_b_6c7acfef_upd();
DROP FUNCTION IF EXISTS "ééééééééééééééééééééééééééééééé_".tally_a_summary_name_that_is_exactly_sixty_three_b_1be938c2_del();
DROP FUNCTION IF EXISTS "ééééééééééééééééééééééééééééééé_".tally_a_summary_name_that_is_exactly_sixty_three_9857b17b_trunc();
-- created by Tally for the recompute lookups
DROP INDEX IF EXISTS "ééééééééééééééééééééééééééééééé_".tally_a_summary_name_that_is_exactly_sixty_three_b_4f4880ae_src;
