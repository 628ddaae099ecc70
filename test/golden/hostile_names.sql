-- Golden SQL for case "hostile_names" (test/sqlgen/golden-cases.ts). Regenerate: UPDATE_GOLDEN=1 npx vitest run test/sqlgen/golden.test.ts

-- ######## warnings
-- [source_index_created] it's, d, distinct t are recomputed per group from "a""; drop table x; --"."b""; drop table x; --": Tally creates index tally_hostile_src on ("k""; drop table x; --", s, ("Group" || '$tally$')) CONCURRENTLY before installing (it takes time and space on a large table)

-- ######## concurrent indexes (before the install transaction)
-- Recompute looks groups up by key on "a""; drop table x; --"."b""; drop table x; --". Run before the install, outside a transaction.
CREATE INDEX CONCURRENTLY IF NOT EXISTS tally_hostile_src ON "a""; drop table x; --"."b""; drop table x; --" ("k""; drop table x; --", s, ("Group" || '$tally$'));

-- ######## install
-- Tally summary "hostile": "t'; drop table x; --"."t""; drop table x; --", kept exact by statement-level triggers on "a""; drop table x; --"."b""; drop table x; --".
--
-- Defining query (the visible columns of the summary table always equal its result):
--   SELECT
--     "k""; drop table x; --",
--     s AS "line
--   break key",
--     "Group" || '$tally$' AS "Group",
--     count(*) AS "select",
--     sum("line
--   break") FILTER (WHERE t > 0) AS "from""; --",
--     min("it's $tally$") AS "it's",
--     max(((d + c) + e) + slot) AS d,
--     count(DISTINCT t) AS "distinct t"
--   FROM "a""; drop table x; --"."b""; drop table x; --"
--   WHERE "it's $tally$" <> 4 AND _tally_slots >= 0
--   GROUP BY 1, 2, 3
--
-- Run in one transaction with a short lock_timeout: CREATE TRIGGER takes a SHARE ROW EXCLUSIVE
-- lock on "a""; drop table x; --"."b""; drop table x; --" (its writers wait) until COMMIT.
-- Grants expected: the installing role owns "t'; drop table x; --"."t""; drop table x; --" and the functions below, and has SELECT
-- and TRIGGER on "a""; drop table x; --"."b""; drop table x; --". The maintenance functions are SECURITY DEFINER with a pinned
-- search_path, so writers of "a""; drop table x; --"."b""; drop table x; --" need no privilege on the summary; readers need only
--   GRANT SELECT ON "t'; drop table x; --"."t""; drop table x; --" TO <reader>;
-- Group locks: pg_advisory_xact_lock(-547856365, slot), slot = hash_record(ROW(keys)) & 1023;
-- a statement touching more than 64 slots takes (-547856365, -1) exclusively instead.

-- ==== Summary table ====

-- Visible columns = the defining query's; _tally_* columns are Tally's bookkeeping.
-- Every write to a group rewrites its row: free space on each page keeps those updates HOT.
CREATE TABLE "t'; drop table x; --"."t""; drop table x; --" (
  "k""; drop table x; --" text,
  "line
break key" integer,
  "Group" text,
  "select" bigint,
  "from""; --" bigint,
  "it's" integer,
  d integer,
  "distinct t" bigint,
  _tally_rows bigint NOT NULL,             -- source rows in the group (passing WHERE)
  "_tally_nn_from""; --" bigint NOT NULL,  -- non-NULL values in from"; --
  "_tally_removed_it's" integer,           -- NULL at rest; a removed min value while it's is recomputed
  _tally_removed_d integer                 -- NULL at rest; a removed max value while d is recomputed
) WITH (fillfactor = 70);

COMMENT ON TABLE "t'; drop table x; --"."t""; drop table x; --" IS 'Tally summary "hostile", kept equal to this query by triggers on "a""; drop table x; --"."b""; drop table x; --":
SELECT
  "k""; drop table x; --",
  s AS "line
break key",
  "Group" || ''$tally$'' AS "Group",
  count(*) AS "select",
  sum("line
break") FILTER (WHERE t > 0) AS "from""; --",
  min("it''s $tally$") AS "it''s",
  max(((d + c) + e) + slot) AS d,
  count(DISTINCT t) AS "distinct t"
FROM "a""; drop table x; --"."b""; drop table x; --"
WHERE "it''s $tally$" <> 4 AND _tally_slots >= 0
GROUP BY 1, 2, 3';

-- One row per group; NULL keys form a group, as in GROUP BY.
CREATE UNIQUE INDEX tally_hostile_key ON "t'; drop table x; --"."t""; drop table x; --" ("k""; drop table x; --", "line
break key", "Group") NULLS NOT DISTINCT;

-- ==== Guard: the summary table is read-only except to maintenance ====

CREATE FUNCTION "t'; drop table x; --".tally_hostile_guard() RETURNS trigger
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $tally$
-- Tally summary "hostile": refuses writes to "t'; drop table x; --"."t""; drop table x; --" that do not come from its maintenance.
#variable_conflict use_column
BEGIN
  -- Tally's backfill and repair mark their transaction: SET LOCAL tally.maintenance = 'hostile'
  IF pg_catalog.current_setting('tally.maintenance', true) IS NOT DISTINCT FROM 'hostile' THEN
    RETURN NULL;
  END IF;
  RAISE EXCEPTION USING
    ERRCODE = 'insufficient_privilege',
    MESSAGE = '"t''; drop table x; --"."t""; drop table x; --" is a summary table maintained by Tally (summary "hostile"); it cannot be written directly',
    DETAIL = 'Only the triggers on "a""; drop table x; --"."b""; drop table x; --" (and Tally''s backfill and repair) change it; a direct write would make it disagree with its defining query.',
    HINT = 'Write to "a""; drop table x; --"."b""; drop table x; --" instead. To repair drift: tally reconcile hostile --repair';
END;
$tally$;

REVOKE ALL ON FUNCTION "t'; drop table x; --".tally_hostile_guard() FROM PUBLIC;

-- Direct writes fail with a clear error; the maintenance triggers pass without a function call.
CREATE TRIGGER tally_000_guard
  BEFORE INSERT OR UPDATE OR DELETE OR TRUNCATE ON "t'; drop table x; --"."t""; drop table x; --"
  FOR EACH STATEMENT
  WHEN (pg_catalog.pg_trigger_depth() < 1)
  EXECUTE FUNCTION "t'; drop table x; --".tally_hostile_guard();

-- ==== Maintenance functions (one per source event) ====

CREATE FUNCTION "t'; drop table x; --".tally_hostile_ins() RETURNS trigger
LANGUAGE plpgsql
SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $tally_1$
-- Tally summary "hostile": keeps "t'; drop table x; --"."t""; drop table x; --" exact after INSERT on "a""; drop table x; --"."b""; drop table x; --".
-- Runs once per statement and sees all its rows in the transition table(s).
#variable_conflict use_column
DECLARE
  _tally_slots integer[];
  _tally_stale tid[];
BEGIN
  -- Lock the groups this statement touches before reading or writing them: one lock per slot
  -- (hash of the group key), taken in ascending order so writers cannot deadlock.
  _tally_slots := ARRAY(
    SELECT DISTINCT pg_catalog.hash_record(ROW("k""; drop table x; --", s, "Group" || '$tally$')) & 1023 AS slot FROM _tally_new WHERE "it's $tally$" <> 4 AND _tally_slots >= 0
    ORDER BY 1
  );
  IF _tally_slots = '{}' THEN
    RETURN NULL; -- no row passes the summary's WHERE: nothing to maintain
  END IF;
  IF pg_catalog.cardinality(_tally_slots) > 64 THEN
    IF NOT EXISTS (SELECT 1 FROM pg_catalog.pg_locks AS l WHERE l.locktype = 'advisory' AND l.pid = pg_catalog.pg_backend_pid() AND l.classid = 3747110931 AND l.objid = 4294967295 AND l.objsubid = 2 AND l.mode = 'ShareLock') THEN
      -- many groups: one summary-wide exclusive lock instead of one lock per slot (not when this
      -- transaction already holds it shared: upgrading would deadlock with another such transaction)
      PERFORM pg_catalog.pg_advisory_xact_lock(-547856365, -1);
    ELSE
      PERFORM pg_catalog.pg_advisory_xact_lock_shared(-547856365, -1), pg_catalog.pg_advisory_xact_lock(-547856365, slot)
      FROM pg_catalog.unnest(_tally_slots) AS slot;
    END IF;
  ELSE
    -- the wide key in shared mode (re-taking a held lock is free), then each slot, in array order
    PERFORM pg_catalog.pg_advisory_xact_lock_shared(-547856365, -1), pg_catalog.pg_advisory_xact_lock(-547856365, slot)
    FROM pg_catalog.unnest(_tally_slots) AS slot;
  END IF;

  -- Add the new rows' per-group partial aggregates to their groups (creating new groups).
  -- Collect the groups left empty (deleted below) and those to recompute from the source.
  WITH changed AS (
    INSERT INTO "t'; drop table x; --"."t""; drop table x; --" AS s ("k""; drop table x; --", "line
break key", "Group", "select", "from""; --", "it's", d, _tally_rows, "_tally_nn_from""; --")
    SELECT
      "k""; drop table x; --",
      s AS "line
break key",
      "Group" || '$tally$' AS "Group",
      count(*) AS "select",
      sum("line
break") FILTER (WHERE t > 0) AS "from""; --",
      min("it's $tally$") AS "it's",
      max(((d + c) + e) + slot) AS d,
      count(*) AS _tally_rows,
      count("line
break") FILTER (WHERE t > 0) AS "_tally_nn_from""; --"
    FROM _tally_new
    WHERE "it's $tally$" <> 4 AND _tally_slots >= 0
    GROUP BY 1, 2, 3
    ON CONFLICT ("k""; drop table x; --", "line
break key", "Group") DO UPDATE SET
      "select" = s."select" + EXCLUDED."select",
      "from""; --" = COALESCE(s."from""; --" + EXCLUDED."from""; --", s."from""; --", EXCLUDED."from""; --"),
      "it's" = LEAST(s."it's", EXCLUDED."it's"),
      d = GREATEST(s.d, EXCLUDED.d),
      _tally_rows = s._tally_rows + EXCLUDED._tally_rows,
      "_tally_nn_from""; --" = s."_tally_nn_from""; --" + EXCLUDED."_tally_nn_from""; --"
    RETURNING s.ctid AS row_id, s._tally_rows AS group_rows
  )
  SELECT array_agg(row_id) FILTER (WHERE group_rows > 0)
  INTO _tally_stale
  FROM changed;

  -- REPEATABLE READ / SERIALIZABLE: the recompute below reads this transaction's snapshot.
  -- Locking the groups' rows as that snapshot sees them raises 40001 (could not serialize)
  -- if another transaction changed these groups since: a retryable error, never drift.
  IF _tally_stale IS NOT NULL AND pg_catalog.current_setting('transaction_isolation') <> 'read committed' THEN
    PERFORM 1 FROM "t'; drop table x; --"."t""; drop table x; --" AS o
    WHERE o.ctid = ANY (ARRAY(
      SELECT x.ctid
      FROM "t'; drop table x; --"."t""; drop table x; --" AS s
        CROSS JOIN LATERAL (
          SELECT x.ctid FROM "t'; drop table x; --"."t""; drop table x; --" AS x WHERE x."k""; drop table x; --" = s."k""; drop table x; --" AND x."line
break key" = s."line
break key" AND x."Group" = s."Group"
          UNION ALL
          SELECT x.ctid FROM "t'; drop table x; --"."t""; drop table x; --" AS x WHERE s."k""; drop table x; --" IS NULL AND x."k""; drop table x; --" IS NULL AND x."line
break key" = s."line
break key" AND x."Group" = s."Group"
          UNION ALL
          SELECT x.ctid FROM "t'; drop table x; --"."t""; drop table x; --" AS x WHERE x."k""; drop table x; --" = s."k""; drop table x; --" AND s."line
break key" IS NULL AND x."line
break key" IS NULL AND x."Group" = s."Group"
          UNION ALL
          SELECT x.ctid FROM "t'; drop table x; --"."t""; drop table x; --" AS x WHERE s."k""; drop table x; --" IS NULL AND x."k""; drop table x; --" IS NULL AND s."line
break key" IS NULL AND x."line
break key" IS NULL AND x."Group" = s."Group"
          UNION ALL
          SELECT x.ctid FROM "t'; drop table x; --"."t""; drop table x; --" AS x WHERE x."k""; drop table x; --" = s."k""; drop table x; --" AND x."line
break key" = s."line
break key" AND s."Group" IS NULL AND x."Group" IS NULL
          UNION ALL
          SELECT x.ctid FROM "t'; drop table x; --"."t""; drop table x; --" AS x WHERE s."k""; drop table x; --" IS NULL AND x."k""; drop table x; --" IS NULL AND x."line
break key" = s."line
break key" AND s."Group" IS NULL AND x."Group" IS NULL
          UNION ALL
          SELECT x.ctid FROM "t'; drop table x; --"."t""; drop table x; --" AS x WHERE x."k""; drop table x; --" = s."k""; drop table x; --" AND s."line
break key" IS NULL AND x."line
break key" IS NULL AND s."Group" IS NULL AND x."Group" IS NULL
          UNION ALL
          SELECT x.ctid FROM "t'; drop table x; --"."t""; drop table x; --" AS x WHERE s."k""; drop table x; --" IS NULL AND x."k""; drop table x; --" IS NULL AND s."line
break key" IS NULL AND x."line
break key" IS NULL AND s."Group" IS NULL AND x."Group" IS NULL
        ) AS x
      WHERE s.ctid = ANY (_tally_stale)
    ))
    FOR UPDATE OF o;
  END IF;

  -- count(DISTINCT …) and array_agg cannot be updated from the delta: recompute them for the
  -- touched groups from the source (under the group locks, through the index on the keys).
  IF _tally_stale IS NOT NULL THEN
    UPDATE "t'; drop table x; --"."t""; drop table x; --" AS s SET
      "distinct t" = (
        SELECT count(DISTINCT t)
        FROM (
          SELECT * FROM "a""; drop table x; --"."b""; drop table x; --" AS t WHERE "k""; drop table x; --" = s."k""; drop table x; --" AND s = s."line
break key" AND "Group" || '$tally$' = s."Group"
          UNION ALL
          SELECT * FROM "a""; drop table x; --"."b""; drop table x; --" AS t WHERE s."k""; drop table x; --" IS NULL AND "k""; drop table x; --" IS NULL AND s = s."line
break key" AND "Group" || '$tally$' = s."Group"
          UNION ALL
          SELECT * FROM "a""; drop table x; --"."b""; drop table x; --" AS t WHERE "k""; drop table x; --" = s."k""; drop table x; --" AND s."line
break key" IS NULL AND s IS NULL AND "Group" || '$tally$' = s."Group"
          UNION ALL
          SELECT * FROM "a""; drop table x; --"."b""; drop table x; --" AS t WHERE s."k""; drop table x; --" IS NULL AND "k""; drop table x; --" IS NULL AND s."line
break key" IS NULL AND s IS NULL AND "Group" || '$tally$' = s."Group"
          UNION ALL
          SELECT * FROM "a""; drop table x; --"."b""; drop table x; --" AS t WHERE "k""; drop table x; --" = s."k""; drop table x; --" AND s = s."line
break key" AND s."Group" IS NULL AND "Group" || '$tally$' IS NULL
          UNION ALL
          SELECT * FROM "a""; drop table x; --"."b""; drop table x; --" AS t WHERE s."k""; drop table x; --" IS NULL AND "k""; drop table x; --" IS NULL AND s = s."line
break key" AND s."Group" IS NULL AND "Group" || '$tally$' IS NULL
          UNION ALL
          SELECT * FROM "a""; drop table x; --"."b""; drop table x; --" AS t WHERE "k""; drop table x; --" = s."k""; drop table x; --" AND s."line
break key" IS NULL AND s IS NULL AND s."Group" IS NULL AND "Group" || '$tally$' IS NULL
          UNION ALL
          SELECT * FROM "a""; drop table x; --"."b""; drop table x; --" AS t WHERE s."k""; drop table x; --" IS NULL AND "k""; drop table x; --" IS NULL AND s."line
break key" IS NULL AND s IS NULL AND s."Group" IS NULL AND "Group" || '$tally$' IS NULL
        ) AS t
        WHERE "it's $tally$" <> 4 AND _tally_slots >= 0
      )
    WHERE s.ctid = ANY (_tally_stale);
  END IF;
  RETURN NULL;
END;
$tally_1$;

REVOKE ALL ON FUNCTION "t'; drop table x; --".tally_hostile_ins() FROM PUBLIC;

CREATE FUNCTION "t'; drop table x; --".tally_hostile_upd() RETURNS trigger
LANGUAGE plpgsql
SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $tally_1$
-- Tally summary "hostile": keeps "t'; drop table x; --"."t""; drop table x; --" exact after UPDATE on "a""; drop table x; --"."b""; drop table x; --".
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
    SELECT pg_catalog.hash_record(ROW("k""; drop table x; --", s, "Group" || '$tally$')) & 1023 AS slot FROM _tally_new WHERE "it's $tally$" <> 4 AND _tally_slots >= 0
    UNION
    SELECT pg_catalog.hash_record(ROW("k""; drop table x; --", s, "Group" || '$tally$')) & 1023 AS slot FROM _tally_old WHERE "it's $tally$" <> 4 AND _tally_slots >= 0
    ORDER BY 1
  );
  IF _tally_slots = '{}' THEN
    RETURN NULL; -- no row passes the summary's WHERE: nothing to maintain
  END IF;
  IF pg_catalog.cardinality(_tally_slots) > 64 THEN
    IF NOT EXISTS (SELECT 1 FROM pg_catalog.pg_locks AS l WHERE l.locktype = 'advisory' AND l.pid = pg_catalog.pg_backend_pid() AND l.classid = 3747110931 AND l.objid = 4294967295 AND l.objsubid = 2 AND l.mode = 'ShareLock') THEN
      -- many groups: one summary-wide exclusive lock instead of one lock per slot (not when this
      -- transaction already holds it shared: upgrading would deadlock with another such transaction)
      PERFORM pg_catalog.pg_advisory_xact_lock(-547856365, -1);
    ELSE
      PERFORM pg_catalog.pg_advisory_xact_lock_shared(-547856365, -1), pg_catalog.pg_advisory_xact_lock(-547856365, slot)
      FROM pg_catalog.unnest(_tally_slots) AS slot;
    END IF;
  ELSE
    -- the wide key in shared mode (re-taking a held lock is free), then each slot, in array order
    PERFORM pg_catalog.pg_advisory_xact_lock_shared(-547856365, -1), pg_catalog.pg_advisory_xact_lock(-547856365, slot)
    FROM pg_catalog.unnest(_tally_slots) AS slot;
  END IF;

  -- Add what the new row versions contribute and subtract what the old ones did, per group;
  -- groups whose aggregates do not change are skipped.
  -- Collect the groups left empty (deleted below) and those to recompute from the source.
  WITH changed AS (
    INSERT INTO "t'; drop table x; --"."t""; drop table x; --" AS s ("k""; drop table x; --", "line
break key", "Group", "select", "from""; --", "it's", d, _tally_rows, "_tally_nn_from""; --", "_tally_removed_it's", _tally_removed_d)
    SELECT
      "k""; drop table x; --",
      s AS "line
break key",
      "Group" || '$tally$' AS "Group",
      count(*) FILTER (WHERE _tally_sign > 0) - count(*) FILTER (WHERE _tally_sign < 0) AS "select",
      sum("line
break" * _tally_sign) FILTER (WHERE t > 0) AS "from""; --",
      min("it's $tally$") FILTER (WHERE _tally_sign > 0) AS "it's",
      max(((d + c) + e) + slot) FILTER (WHERE _tally_sign > 0) AS d,
      sum(_tally_sign) AS _tally_rows,
      count("line
break") FILTER (WHERE _tally_sign > 0 AND (t > 0)) - count("line
break") FILTER (WHERE _tally_sign < 0 AND (t > 0)) AS "_tally_nn_from""; --",
      min("it's $tally$") FILTER (WHERE _tally_sign < 0) AS "_tally_removed_it's",
      max(((d + c) + e) + slot) FILTER (WHERE _tally_sign < 0) AS _tally_removed_d
    FROM (
      SELECT t.*, 1::bigint AS _tally_sign FROM _tally_new AS t
      UNION ALL
      SELECT t.*, -1 FROM _tally_old AS t
    ) AS d
    WHERE "it's $tally$" <> 4 AND _tally_slots >= 0
    GROUP BY 1, 2, 3
    ON CONFLICT ("k""; drop table x; --", "line
break key", "Group") DO UPDATE SET
      "select" = s."select" + EXCLUDED."select",
      "from""; --" = CASE WHEN s."_tally_nn_from""; --" + EXCLUDED."_tally_nn_from""; --" = 0 THEN NULL ELSE COALESCE(s."from""; --" + EXCLUDED."from""; --", s."from""; --", EXCLUDED."from""; --") END,
      "it's" = LEAST(s."it's", EXCLUDED."it's"),
      d = GREATEST(s.d, EXCLUDED.d),
      _tally_rows = s._tally_rows + EXCLUDED._tally_rows,
      "_tally_nn_from""; --" = s."_tally_nn_from""; --" + EXCLUDED."_tally_nn_from""; --",
      "_tally_removed_it's" = CASE WHEN EXCLUDED."_tally_removed_it's" IS NOT NULL AND (s."it's" IS NULL OR EXCLUDED."_tally_removed_it's" <= s."it's") AND (EXCLUDED."it's" IS NULL OR EXCLUDED."it's" > EXCLUDED."_tally_removed_it's") THEN EXCLUDED."_tally_removed_it's" END,
      _tally_removed_d = CASE WHEN EXCLUDED._tally_removed_d IS NOT NULL AND (s.d IS NULL OR EXCLUDED._tally_removed_d >= s.d) AND (EXCLUDED.d IS NULL OR EXCLUDED.d < EXCLUDED._tally_removed_d) THEN EXCLUDED._tally_removed_d END
    RETURNING s.ctid AS row_id, s._tally_rows AS group_rows
  )
  SELECT array_agg(row_id) FILTER (WHERE group_rows <= 0), array_agg(row_id) FILTER (WHERE group_rows > 0)
  INTO _tally_gone, _tally_stale
  FROM changed;

  -- A group with no rows left disappears, as it does from the defining query.
  IF _tally_gone IS NOT NULL THEN
    DELETE FROM "t'; drop table x; --"."t""; drop table x; --" WHERE ctid = ANY (_tally_gone);
  END IF;

  -- REPEATABLE READ / SERIALIZABLE: the recompute below reads this transaction's snapshot.
  -- Locking the groups' rows as that snapshot sees them raises 40001 (could not serialize)
  -- if another transaction changed these groups since: a retryable error, never drift.
  IF _tally_stale IS NOT NULL AND pg_catalog.current_setting('transaction_isolation') <> 'read committed' THEN
    PERFORM 1 FROM "t'; drop table x; --"."t""; drop table x; --" AS o
    WHERE o.ctid = ANY (ARRAY(
      SELECT x.ctid
      FROM "t'; drop table x; --"."t""; drop table x; --" AS s
        CROSS JOIN LATERAL (
          SELECT x.ctid FROM "t'; drop table x; --"."t""; drop table x; --" AS x WHERE x."k""; drop table x; --" = s."k""; drop table x; --" AND x."line
break key" = s."line
break key" AND x."Group" = s."Group"
          UNION ALL
          SELECT x.ctid FROM "t'; drop table x; --"."t""; drop table x; --" AS x WHERE s."k""; drop table x; --" IS NULL AND x."k""; drop table x; --" IS NULL AND x."line
break key" = s."line
break key" AND x."Group" = s."Group"
          UNION ALL
          SELECT x.ctid FROM "t'; drop table x; --"."t""; drop table x; --" AS x WHERE x."k""; drop table x; --" = s."k""; drop table x; --" AND s."line
break key" IS NULL AND x."line
break key" IS NULL AND x."Group" = s."Group"
          UNION ALL
          SELECT x.ctid FROM "t'; drop table x; --"."t""; drop table x; --" AS x WHERE s."k""; drop table x; --" IS NULL AND x."k""; drop table x; --" IS NULL AND s."line
break key" IS NULL AND x."line
break key" IS NULL AND x."Group" = s."Group"
          UNION ALL
          SELECT x.ctid FROM "t'; drop table x; --"."t""; drop table x; --" AS x WHERE x."k""; drop table x; --" = s."k""; drop table x; --" AND x."line
break key" = s."line
break key" AND s."Group" IS NULL AND x."Group" IS NULL
          UNION ALL
          SELECT x.ctid FROM "t'; drop table x; --"."t""; drop table x; --" AS x WHERE s."k""; drop table x; --" IS NULL AND x."k""; drop table x; --" IS NULL AND x."line
break key" = s."line
break key" AND s."Group" IS NULL AND x."Group" IS NULL
          UNION ALL
          SELECT x.ctid FROM "t'; drop table x; --"."t""; drop table x; --" AS x WHERE x."k""; drop table x; --" = s."k""; drop table x; --" AND s."line
break key" IS NULL AND x."line
break key" IS NULL AND s."Group" IS NULL AND x."Group" IS NULL
          UNION ALL
          SELECT x.ctid FROM "t'; drop table x; --"."t""; drop table x; --" AS x WHERE s."k""; drop table x; --" IS NULL AND x."k""; drop table x; --" IS NULL AND s."line
break key" IS NULL AND x."line
break key" IS NULL AND s."Group" IS NULL AND x."Group" IS NULL
        ) AS x
      WHERE s.ctid = ANY (_tally_stale)
    ))
    FOR UPDATE OF o;
  END IF;

  -- Recompute what the delta cannot undo (a removed min/max or numeric scale, count(DISTINCT …),
  -- array_agg) for just the stale groups, from the source, under the group locks. Sums are never
  -- recomputed: another trigger of the same statement adds its rows' delta to them.
  IF _tally_stale IS NOT NULL THEN
    UPDATE "t'; drop table x; --"."t""; drop table x; --" AS s SET
      ("it's", d, "distinct t") = (
        SELECT min("it's $tally$"), max(((d + c) + e) + slot), count(DISTINCT t)
        FROM (
          SELECT * FROM "a""; drop table x; --"."b""; drop table x; --" AS t WHERE "k""; drop table x; --" = s."k""; drop table x; --" AND s = s."line
break key" AND "Group" || '$tally$' = s."Group"
          UNION ALL
          SELECT * FROM "a""; drop table x; --"."b""; drop table x; --" AS t WHERE s."k""; drop table x; --" IS NULL AND "k""; drop table x; --" IS NULL AND s = s."line
break key" AND "Group" || '$tally$' = s."Group"
          UNION ALL
          SELECT * FROM "a""; drop table x; --"."b""; drop table x; --" AS t WHERE "k""; drop table x; --" = s."k""; drop table x; --" AND s."line
break key" IS NULL AND s IS NULL AND "Group" || '$tally$' = s."Group"
          UNION ALL
          SELECT * FROM "a""; drop table x; --"."b""; drop table x; --" AS t WHERE s."k""; drop table x; --" IS NULL AND "k""; drop table x; --" IS NULL AND s."line
break key" IS NULL AND s IS NULL AND "Group" || '$tally$' = s."Group"
          UNION ALL
          SELECT * FROM "a""; drop table x; --"."b""; drop table x; --" AS t WHERE "k""; drop table x; --" = s."k""; drop table x; --" AND s = s."line
break key" AND s."Group" IS NULL AND "Group" || '$tally$' IS NULL
          UNION ALL
          SELECT * FROM "a""; drop table x; --"."b""; drop table x; --" AS t WHERE s."k""; drop table x; --" IS NULL AND "k""; drop table x; --" IS NULL AND s = s."line
break key" AND s."Group" IS NULL AND "Group" || '$tally$' IS NULL
          UNION ALL
          SELECT * FROM "a""; drop table x; --"."b""; drop table x; --" AS t WHERE "k""; drop table x; --" = s."k""; drop table x; --" AND s."line
break key" IS NULL AND s IS NULL AND s."Group" IS NULL AND "Group" || '$tally$' IS NULL
          UNION ALL
          SELECT * FROM "a""; drop table x; --"."b""; drop table x; --" AS t WHERE s."k""; drop table x; --" IS NULL AND "k""; drop table x; --" IS NULL AND s."line
break key" IS NULL AND s IS NULL AND s."Group" IS NULL AND "Group" || '$tally$' IS NULL
        ) AS t
        WHERE "it's $tally$" <> 4 AND _tally_slots >= 0
      ),
      "_tally_removed_it's" = NULL,
      _tally_removed_d = NULL
    WHERE s.ctid = ANY (_tally_stale);
  END IF;
  RETURN NULL;
END;
$tally_1$;

REVOKE ALL ON FUNCTION "t'; drop table x; --".tally_hostile_upd() FROM PUBLIC;

CREATE FUNCTION "t'; drop table x; --".tally_hostile_del() RETURNS trigger
LANGUAGE plpgsql
SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $tally_1$
-- Tally summary "hostile": keeps "t'; drop table x; --"."t""; drop table x; --" exact after DELETE on "a""; drop table x; --"."b""; drop table x; --".
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
    SELECT DISTINCT pg_catalog.hash_record(ROW("k""; drop table x; --", s, "Group" || '$tally$')) & 1023 AS slot FROM _tally_old WHERE "it's $tally$" <> 4 AND _tally_slots >= 0
    ORDER BY 1
  );
  IF _tally_slots = '{}' THEN
    RETURN NULL; -- no row passes the summary's WHERE: nothing to maintain
  END IF;
  IF pg_catalog.cardinality(_tally_slots) > 64 THEN
    IF NOT EXISTS (SELECT 1 FROM pg_catalog.pg_locks AS l WHERE l.locktype = 'advisory' AND l.pid = pg_catalog.pg_backend_pid() AND l.classid = 3747110931 AND l.objid = 4294967295 AND l.objsubid = 2 AND l.mode = 'ShareLock') THEN
      -- many groups: one summary-wide exclusive lock instead of one lock per slot (not when this
      -- transaction already holds it shared: upgrading would deadlock with another such transaction)
      PERFORM pg_catalog.pg_advisory_xact_lock(-547856365, -1);
    ELSE
      PERFORM pg_catalog.pg_advisory_xact_lock_shared(-547856365, -1), pg_catalog.pg_advisory_xact_lock(-547856365, slot)
      FROM pg_catalog.unnest(_tally_slots) AS slot;
    END IF;
  ELSE
    -- the wide key in shared mode (re-taking a held lock is free), then each slot, in array order
    PERFORM pg_catalog.pg_advisory_xact_lock_shared(-547856365, -1), pg_catalog.pg_advisory_xact_lock(-547856365, slot)
    FROM pg_catalog.unnest(_tally_slots) AS slot;
  END IF;

  -- Subtract the deleted rows' per-group partial aggregates from their groups.
  -- Collect the groups left empty (deleted below) and those to recompute from the source.
  WITH changed AS (
    INSERT INTO "t'; drop table x; --"."t""; drop table x; --" AS s ("k""; drop table x; --", "line
break key", "Group", "select", "from""; --", _tally_rows, "_tally_nn_from""; --", "_tally_removed_it's", _tally_removed_d)
    SELECT
      "k""; drop table x; --",
      s AS "line
break key",
      "Group" || '$tally$' AS "Group",
      -count(*) AS "select",
      -sum("line
break") FILTER (WHERE t > 0) AS "from""; --",
      -count(*) AS _tally_rows,
      -count("line
break") FILTER (WHERE t > 0) AS "_tally_nn_from""; --",
      min("it's $tally$") AS "_tally_removed_it's",
      max(((d + c) + e) + slot) AS _tally_removed_d
    FROM _tally_old
    WHERE "it's $tally$" <> 4 AND _tally_slots >= 0
    GROUP BY 1, 2, 3
    ON CONFLICT ("k""; drop table x; --", "line
break key", "Group") DO UPDATE SET
      "select" = s."select" + EXCLUDED."select",
      "from""; --" = CASE WHEN s."_tally_nn_from""; --" + EXCLUDED."_tally_nn_from""; --" = 0 THEN NULL ELSE COALESCE(s."from""; --" + EXCLUDED."from""; --", s."from""; --", EXCLUDED."from""; --") END,
      _tally_rows = s._tally_rows + EXCLUDED._tally_rows,
      "_tally_nn_from""; --" = s."_tally_nn_from""; --" + EXCLUDED."_tally_nn_from""; --",
      "_tally_removed_it's" = CASE WHEN EXCLUDED."_tally_removed_it's" IS NOT NULL AND (s."it's" IS NULL OR EXCLUDED."_tally_removed_it's" <= s."it's") THEN EXCLUDED."_tally_removed_it's" END,
      _tally_removed_d = CASE WHEN EXCLUDED._tally_removed_d IS NOT NULL AND (s.d IS NULL OR EXCLUDED._tally_removed_d >= s.d) THEN EXCLUDED._tally_removed_d END
    RETURNING s.ctid AS row_id, s._tally_rows AS group_rows
  )
  SELECT array_agg(row_id) FILTER (WHERE group_rows <= 0), array_agg(row_id) FILTER (WHERE group_rows > 0)
  INTO _tally_gone, _tally_stale
  FROM changed;

  -- A group with no rows left disappears, as it does from the defining query.
  IF _tally_gone IS NOT NULL THEN
    DELETE FROM "t'; drop table x; --"."t""; drop table x; --" WHERE ctid = ANY (_tally_gone);
  END IF;

  -- REPEATABLE READ / SERIALIZABLE: the recompute below reads this transaction's snapshot.
  -- Locking the groups' rows as that snapshot sees them raises 40001 (could not serialize)
  -- if another transaction changed these groups since: a retryable error, never drift.
  IF _tally_stale IS NOT NULL AND pg_catalog.current_setting('transaction_isolation') <> 'read committed' THEN
    PERFORM 1 FROM "t'; drop table x; --"."t""; drop table x; --" AS o
    WHERE o.ctid = ANY (ARRAY(
      SELECT x.ctid
      FROM "t'; drop table x; --"."t""; drop table x; --" AS s
        CROSS JOIN LATERAL (
          SELECT x.ctid FROM "t'; drop table x; --"."t""; drop table x; --" AS x WHERE x."k""; drop table x; --" = s."k""; drop table x; --" AND x."line
break key" = s."line
break key" AND x."Group" = s."Group"
          UNION ALL
          SELECT x.ctid FROM "t'; drop table x; --"."t""; drop table x; --" AS x WHERE s."k""; drop table x; --" IS NULL AND x."k""; drop table x; --" IS NULL AND x."line
break key" = s."line
break key" AND x."Group" = s."Group"
          UNION ALL
          SELECT x.ctid FROM "t'; drop table x; --"."t""; drop table x; --" AS x WHERE x."k""; drop table x; --" = s."k""; drop table x; --" AND s."line
break key" IS NULL AND x."line
break key" IS NULL AND x."Group" = s."Group"
          UNION ALL
          SELECT x.ctid FROM "t'; drop table x; --"."t""; drop table x; --" AS x WHERE s."k""; drop table x; --" IS NULL AND x."k""; drop table x; --" IS NULL AND s."line
break key" IS NULL AND x."line
break key" IS NULL AND x."Group" = s."Group"
          UNION ALL
          SELECT x.ctid FROM "t'; drop table x; --"."t""; drop table x; --" AS x WHERE x."k""; drop table x; --" = s."k""; drop table x; --" AND x."line
break key" = s."line
break key" AND s."Group" IS NULL AND x."Group" IS NULL
          UNION ALL
          SELECT x.ctid FROM "t'; drop table x; --"."t""; drop table x; --" AS x WHERE s."k""; drop table x; --" IS NULL AND x."k""; drop table x; --" IS NULL AND x."line
break key" = s."line
break key" AND s."Group" IS NULL AND x."Group" IS NULL
          UNION ALL
          SELECT x.ctid FROM "t'; drop table x; --"."t""; drop table x; --" AS x WHERE x."k""; drop table x; --" = s."k""; drop table x; --" AND s."line
break key" IS NULL AND x."line
break key" IS NULL AND s."Group" IS NULL AND x."Group" IS NULL
          UNION ALL
          SELECT x.ctid FROM "t'; drop table x; --"."t""; drop table x; --" AS x WHERE s."k""; drop table x; --" IS NULL AND x."k""; drop table x; --" IS NULL AND s."line
break key" IS NULL AND x."line
break key" IS NULL AND s."Group" IS NULL AND x."Group" IS NULL
        ) AS x
      WHERE s.ctid = ANY (_tally_stale)
    ))
    FOR UPDATE OF o;
  END IF;

  -- Recompute what the delta cannot undo (a removed min/max or numeric scale, count(DISTINCT …),
  -- array_agg) for just the stale groups, from the source, under the group locks. Sums are never
  -- recomputed: another trigger of the same statement adds its rows' delta to them.
  IF _tally_stale IS NOT NULL THEN
    UPDATE "t'; drop table x; --"."t""; drop table x; --" AS s SET
      ("it's", d, "distinct t") = (
        SELECT min("it's $tally$"), max(((d + c) + e) + slot), count(DISTINCT t)
        FROM (
          SELECT * FROM "a""; drop table x; --"."b""; drop table x; --" AS t WHERE "k""; drop table x; --" = s."k""; drop table x; --" AND s = s."line
break key" AND "Group" || '$tally$' = s."Group"
          UNION ALL
          SELECT * FROM "a""; drop table x; --"."b""; drop table x; --" AS t WHERE s."k""; drop table x; --" IS NULL AND "k""; drop table x; --" IS NULL AND s = s."line
break key" AND "Group" || '$tally$' = s."Group"
          UNION ALL
          SELECT * FROM "a""; drop table x; --"."b""; drop table x; --" AS t WHERE "k""; drop table x; --" = s."k""; drop table x; --" AND s."line
break key" IS NULL AND s IS NULL AND "Group" || '$tally$' = s."Group"
          UNION ALL
          SELECT * FROM "a""; drop table x; --"."b""; drop table x; --" AS t WHERE s."k""; drop table x; --" IS NULL AND "k""; drop table x; --" IS NULL AND s."line
break key" IS NULL AND s IS NULL AND "Group" || '$tally$' = s."Group"
          UNION ALL
          SELECT * FROM "a""; drop table x; --"."b""; drop table x; --" AS t WHERE "k""; drop table x; --" = s."k""; drop table x; --" AND s = s."line
break key" AND s."Group" IS NULL AND "Group" || '$tally$' IS NULL
          UNION ALL
          SELECT * FROM "a""; drop table x; --"."b""; drop table x; --" AS t WHERE s."k""; drop table x; --" IS NULL AND "k""; drop table x; --" IS NULL AND s = s."line
break key" AND s."Group" IS NULL AND "Group" || '$tally$' IS NULL
          UNION ALL
          SELECT * FROM "a""; drop table x; --"."b""; drop table x; --" AS t WHERE "k""; drop table x; --" = s."k""; drop table x; --" AND s."line
break key" IS NULL AND s IS NULL AND s."Group" IS NULL AND "Group" || '$tally$' IS NULL
          UNION ALL
          SELECT * FROM "a""; drop table x; --"."b""; drop table x; --" AS t WHERE s."k""; drop table x; --" IS NULL AND "k""; drop table x; --" IS NULL AND s."line
break key" IS NULL AND s IS NULL AND s."Group" IS NULL AND "Group" || '$tally$' IS NULL
        ) AS t
        WHERE "it's $tally$" <> 4 AND _tally_slots >= 0
      ),
      "_tally_removed_it's" = NULL,
      _tally_removed_d = NULL
    WHERE s.ctid = ANY (_tally_stale);
  END IF;
  RETURN NULL;
END;
$tally_1$;

REVOKE ALL ON FUNCTION "t'; drop table x; --".tally_hostile_del() FROM PUBLIC;

CREATE FUNCTION "t'; drop table x; --".tally_hostile_trunc() RETURNS trigger
LANGUAGE plpgsql
SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $tally$
-- Tally summary "hostile": keeps "t'; drop table x; --"."t""; drop table x; --" exact after TRUNCATE on "a""; drop table x; --"."b""; drop table x; --".
-- Runs once per statement.
#variable_conflict use_column
BEGIN
  -- Every group changes: take the summary-wide lock exclusively.
  PERFORM pg_catalog.pg_advisory_xact_lock(-547856365, -1);

  -- The source is empty: so is every group.
  DELETE FROM "t'; drop table x; --"."t""; drop table x; --";
  RETURN NULL;
END;
$tally$;

REVOKE ALL ON FUNCTION "t'; drop table x; --".tally_hostile_trunc() FROM PUBLIC;

-- ==== Statement-level triggers on the source (SHARE ROW EXCLUSIVE lock on it until COMMIT) ====

CREATE TRIGGER tally_100_hostile_ins
  AFTER INSERT ON "a""; drop table x; --"."b""; drop table x; --"
  REFERENCING NEW TABLE AS _tally_new
  FOR EACH STATEMENT
  EXECUTE FUNCTION "t'; drop table x; --".tally_hostile_ins();

CREATE TRIGGER tally_100_hostile_upd
  AFTER UPDATE ON "a""; drop table x; --"."b""; drop table x; --"
  REFERENCING OLD TABLE AS _tally_old NEW TABLE AS _tally_new
  FOR EACH STATEMENT
  EXECUTE FUNCTION "t'; drop table x; --".tally_hostile_upd();

CREATE TRIGGER tally_100_hostile_del
  AFTER DELETE ON "a""; drop table x; --"."b""; drop table x; --"
  REFERENCING OLD TABLE AS _tally_old
  FOR EACH STATEMENT
  EXECUTE FUNCTION "t'; drop table x; --".tally_hostile_del();

CREATE TRIGGER tally_100_hostile_trunc
  AFTER TRUNCATE ON "a""; drop table x; --"."b""; drop table x; --"
  FOR EACH STATEMENT
  EXECUTE FUNCTION "t'; drop table x; --".tally_hostile_trunc();

-- ######## populate
-- ==== Populate from the source (optional; same transaction, after the triggers) ====

-- lets this transaction write the summary
SET LOCAL tally.maintenance = 'hostile';

INSERT INTO "t'; drop table x; --"."t""; drop table x; --" ("k""; drop table x; --", "line
break key", "Group", "select", "from""; --", "it's", d, "distinct t", _tally_rows, "_tally_nn_from""; --")
SELECT
  "k""; drop table x; --",
  s AS "line
break key",
  "Group" || '$tally$' AS "Group",
  count(*) AS "select",
  sum("line
break") FILTER (WHERE t > 0) AS "from""; --",
  min("it's $tally$") AS "it's",
  max(((d + c) + e) + slot) AS d,
  count(DISTINCT t) AS "distinct t",
  count(*) AS _tally_rows,
  count("line
break") FILTER (WHERE t > 0) AS "_tally_nn_from""; --"
FROM "a""; drop table x; --"."b""; drop table x; --"
WHERE "it's $tally$" <> 4 AND _tally_slots >= 0
GROUP BY 1, 2, 3;

-- ######## uninstall
-- Removes Tally summary "hostile": triggers first (maintenance stops), then the table and functions.
DROP TRIGGER IF EXISTS tally_100_hostile_ins ON "a""; drop table x; --"."b""; drop table x; --";
DROP TRIGGER IF EXISTS tally_100_hostile_upd ON "a""; drop table x; --"."b""; drop table x; --";
DROP TRIGGER IF EXISTS tally_100_hostile_del ON "a""; drop table x; --"."b""; drop table x; --";
DROP TRIGGER IF EXISTS tally_100_hostile_trunc ON "a""; drop table x; --"."b""; drop table x; --";
DROP TABLE IF EXISTS "t'; drop table x; --"."t""; drop table x; --";
DROP FUNCTION IF EXISTS "t'; drop table x; --".tally_hostile_guard();
DROP FUNCTION IF EXISTS "t'; drop table x; --".tally_hostile_ins();
DROP FUNCTION IF EXISTS "t'; drop table x; --".tally_hostile_upd();
DROP FUNCTION IF EXISTS "t'; drop table x; --".tally_hostile_del();
DROP FUNCTION IF EXISTS "t'; drop table x; --".tally_hostile_trunc();
-- created by Tally for the recompute lookups
DROP INDEX IF EXISTS "a""; drop table x; --".tally_hostile_src;
