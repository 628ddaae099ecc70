-- Golden SQL for case "every_aggregate" (test/sqlgen/golden-cases.ts). Regenerate: UPDATE_GOLDEN=1 npx vitest run test/sqlgen/golden.test.ts

-- ######## warnings
-- [source_index_created] first_order, biggest, all_paid, any_paid, customers, tags are recomputed per group from shop.orders: Tally creates index tally_orders_daily_src on (region, (placed_at::date), (data ->> 'channel')) CONCURRENTLY before installing (it takes time and space on a large table)
-- [float_rounding] avg_weight: a floating-point avg is maintained by addition and subtraction, so it can differ from a fresh avg in the last digits; compare with a tolerance

-- ######## concurrent indexes (before the install transaction)
-- Recompute looks groups up by key on shop.orders. Run before the install, outside a transaction.
CREATE INDEX CONCURRENTLY IF NOT EXISTS tally_orders_daily_src ON shop.orders (region, (placed_at::date), (data ->> 'channel'));

-- ######## install
-- Tally summary "orders_daily": shop.orders_daily, kept exact by statement-level triggers on shop.orders.
--
-- Defining query (the visible columns of the summary table always equal its result):
--   SELECT
--     region,
--     placed_at::date AS day,
--     data ->> 'channel' AS channel,
--     count(*) AS orders,
--     count(*) FILTER (WHERE paid) AS paid_orders,
--     count(qty) AS with_qty,
--     sum(amount) FILTER (WHERE paid) AS revenue,
--     sum(qty) AS units,
--     avg(amount) AS avg_amount,
--     avg(qty) AS avg_qty,
--     avg(weight) AS avg_weight,
--     min(placed_at) AS first_order,
--     max(amount) FILTER (WHERE qty > 0) AS biggest,
--     bool_and(paid) AS all_paid,
--     bool_or(paid) AS any_paid,
--     count(DISTINCT customer_id) AS customers,
--     array_agg(tag ORDER BY placed_at DESC, id) AS tags
--   FROM shop.orders
--   WHERE deleted_at IS NULL AND (data ->> 'status') <> 'draft'
--   GROUP BY 1, 2, 3
--
-- Run in one transaction with a short lock_timeout: CREATE TRIGGER takes a SHARE ROW EXCLUSIVE
-- lock on shop.orders (its writers wait) until COMMIT.
-- Grants expected: the installing role owns shop.orders_daily and the functions below, and has SELECT
-- and TRIGGER on shop.orders. The maintenance functions are SECURITY DEFINER with a pinned
-- search_path, so writers of shop.orders need no privilege on the summary; readers need only
--   GRANT SELECT ON shop.orders_daily TO <reader>;
-- Group locks: pg_advisory_xact_lock(-766383820, slot), slot = hash_record(ROW(keys)) & 1023;
-- a statement touching more than 64 slots takes (-766383820, -1) exclusively instead.

-- ==== Summary table ====

-- Visible columns = the defining query's; _tally_* columns are Tally's bookkeeping.
-- Every write to a group rewrites its row: free space on each page keeps those updates HOT.
CREATE TABLE shop.orders_daily (
  region text,
  day date,
  channel text,
  orders bigint,
  paid_orders bigint,
  with_qty bigint,
  revenue numeric GENERATED ALWAYS AS (CASE WHEN _tally_nan_revenue > 0 OR (_tally_pinf_revenue > 0 AND _tally_ninf_revenue > 0) THEN 'NaN'::numeric WHEN _tally_pinf_revenue > 0 THEN 'Infinity'::numeric WHEN _tally_ninf_revenue > 0 THEN '-Infinity'::numeric ELSE _tally_sum_revenue END) STORED,
  units bigint,
  avg_amount numeric GENERATED ALWAYS AS (CASE WHEN _tally_nan_avg_amount > 0 OR (_tally_pinf_avg_amount > 0 AND _tally_ninf_avg_amount > 0) THEN 'NaN'::numeric WHEN _tally_pinf_avg_amount > 0 THEN 'Infinity'::numeric WHEN _tally_ninf_avg_amount > 0 THEN '-Infinity'::numeric ELSE _tally_sum_avg_amount / NULLIF(_tally_nn_avg_amount, 0)::numeric END) STORED,
  avg_qty numeric GENERATED ALWAYS AS (_tally_sum_avg_qty::numeric / NULLIF(_tally_nn_avg_qty, 0)::numeric) STORED,
  avg_weight double precision GENERATED ALWAYS AS (CASE WHEN _tally_nan_avg_weight > 0 OR (_tally_pinf_avg_weight > 0 AND _tally_ninf_avg_weight > 0) THEN 'NaN'::double precision WHEN _tally_pinf_avg_weight > 0 THEN 'Infinity'::double precision WHEN _tally_ninf_avg_weight > 0 THEN '-Infinity'::double precision ELSE _tally_sum_avg_weight / NULLIF(_tally_nn_avg_weight, 0)::double precision END) STORED,
  first_order timestamp without time zone,
  biggest numeric,
  all_paid boolean,
  any_paid boolean,
  customers bigint,
  tags text[],
  _tally_rows bigint NOT NULL,                      -- source rows in the group (passing WHERE)
  _tally_sum_revenue numeric,                       -- running sum of the finite values in revenue
  _tally_nn_revenue bigint NOT NULL,                -- non-NULL values in revenue
  _tally_nan_revenue bigint NOT NULL,               -- NaN values in revenue
  _tally_pinf_revenue bigint NOT NULL,              -- +Infinity values in revenue
  _tally_ninf_revenue bigint NOT NULL,              -- -Infinity values in revenue
  _tally_nn_units bigint NOT NULL,                  -- non-NULL values in units
  _tally_sum_avg_amount numeric,                    -- running sum of the finite values behind avg_amount
  _tally_nn_avg_amount bigint NOT NULL,             -- non-NULL values behind avg_amount
  _tally_nan_avg_amount bigint NOT NULL,            -- NaN values in avg_amount
  _tally_pinf_avg_amount bigint NOT NULL,           -- +Infinity values in avg_amount
  _tally_ninf_avg_amount bigint NOT NULL,           -- -Infinity values in avg_amount
  _tally_sum_avg_qty bigint,                        -- running sum behind avg_qty
  _tally_nn_avg_qty bigint NOT NULL,                -- non-NULL values behind avg_qty
  _tally_sum_avg_weight double precision,           -- running sum of the finite values behind avg_weight
  _tally_nn_avg_weight bigint NOT NULL,             -- non-NULL values behind avg_weight
  _tally_nan_avg_weight bigint NOT NULL,            -- NaN values in avg_weight
  _tally_pinf_avg_weight bigint NOT NULL,           -- +Infinity values in avg_weight
  _tally_ninf_avg_weight bigint NOT NULL,           -- -Infinity values in avg_weight
  _tally_removed_first_order timestamp without time zone, -- NULL at rest; a removed min value while first_order is recomputed
  _tally_removed_biggest numeric,                   -- NULL at rest; a removed max value while biggest is recomputed
  _tally_removed_all_paid boolean,                  -- NULL at rest; a removed bool_and value while all_paid is recomputed
  _tally_removed_any_paid boolean                   -- NULL at rest; a removed bool_or value while any_paid is recomputed
) WITH (fillfactor = 70);

COMMENT ON TABLE shop.orders_daily IS 'Tally summary "orders_daily", kept equal to this query by triggers on shop.orders:
SELECT
  region,
  placed_at::date AS day,
  data ->> ''channel'' AS channel,
  count(*) AS orders,
  count(*) FILTER (WHERE paid) AS paid_orders,
  count(qty) AS with_qty,
  sum(amount) FILTER (WHERE paid) AS revenue,
  sum(qty) AS units,
  avg(amount) AS avg_amount,
  avg(qty) AS avg_qty,
  avg(weight) AS avg_weight,
  min(placed_at) AS first_order,
  max(amount) FILTER (WHERE qty > 0) AS biggest,
  bool_and(paid) AS all_paid,
  bool_or(paid) AS any_paid,
  count(DISTINCT customer_id) AS customers,
  array_agg(tag ORDER BY placed_at DESC, id) AS tags
FROM shop.orders
WHERE deleted_at IS NULL AND (data ->> ''status'') <> ''draft''
GROUP BY 1, 2, 3';

-- One row per group; NULL keys form a group, as in GROUP BY.
CREATE UNIQUE INDEX tally_orders_daily_key ON shop.orders_daily (region, day, channel) NULLS NOT DISTINCT;

-- ==== Guard: the summary table is read-only except to maintenance ====

CREATE FUNCTION shop.tally_orders_daily_guard() RETURNS trigger
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $tally$
-- Tally summary "orders_daily": refuses writes to shop.orders_daily that do not come from its maintenance.
#variable_conflict use_column
BEGIN
  -- Tally's backfill and repair mark their transaction: SET LOCAL tally.maintenance = 'orders_daily'
  IF pg_catalog.current_setting('tally.maintenance', true) IS NOT DISTINCT FROM 'orders_daily' THEN
    RETURN NULL;
  END IF;
  RAISE EXCEPTION USING
    ERRCODE = 'insufficient_privilege',
    MESSAGE = 'shop.orders_daily is a summary table maintained by Tally (summary "orders_daily"); it cannot be written directly',
    DETAIL = 'Only the triggers on shop.orders (and Tally''s backfill and repair) change it; a direct write would make it disagree with its defining query.',
    HINT = 'Write to shop.orders instead. To repair drift: tally reconcile orders_daily --repair';
END;
$tally$;

REVOKE ALL ON FUNCTION shop.tally_orders_daily_guard() FROM PUBLIC;

-- Direct writes fail with a clear error; the maintenance triggers pass without a function call.
CREATE TRIGGER tally_000_guard
  BEFORE INSERT OR UPDATE OR DELETE OR TRUNCATE ON shop.orders_daily
  FOR EACH STATEMENT
  WHEN (pg_catalog.pg_trigger_depth() < 1)
  EXECUTE FUNCTION shop.tally_orders_daily_guard();

-- ==== Maintenance functions (one per source event) ====

CREATE FUNCTION shop.tally_orders_daily_ins() RETURNS trigger
LANGUAGE plpgsql
SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $tally$
-- Tally summary "orders_daily": keeps shop.orders_daily exact after INSERT on shop.orders.
-- Runs once per statement and sees all its rows in the transition table(s).
#variable_conflict use_column
DECLARE
  _tally_slots integer[];
  _tally_stale tid[];
BEGIN
  -- Lock the groups this statement touches before reading or writing them: one lock per slot
  -- (hash of the group key), taken in ascending order so writers cannot deadlock.
  _tally_slots := ARRAY(
    SELECT DISTINCT pg_catalog.hash_record(ROW(region, placed_at::date, data ->> 'channel')) & 1023 AS slot FROM _tally_new WHERE deleted_at IS NULL AND (data ->> 'status') <> 'draft'
    ORDER BY 1
  );
  IF _tally_slots = '{}' THEN
    RETURN NULL; -- no row passes the summary's WHERE: nothing to maintain
  END IF;
  IF pg_catalog.cardinality(_tally_slots) > 64 THEN
    IF NOT EXISTS (SELECT 1 FROM pg_catalog.pg_locks AS l WHERE l.locktype = 'advisory' AND l.pid = pg_catalog.pg_backend_pid() AND l.classid = 3528583476 AND l.objid = 4294967295 AND l.objsubid = 2 AND l.mode = 'ShareLock') THEN
      -- many groups: one summary-wide exclusive lock instead of one lock per slot (not when this
      -- transaction already holds it shared: upgrading would deadlock with another such transaction)
      PERFORM pg_catalog.pg_advisory_xact_lock(-766383820, -1);
    ELSE
      PERFORM pg_catalog.pg_advisory_xact_lock_shared(-766383820, -1), pg_catalog.pg_advisory_xact_lock(-766383820, slot)
      FROM pg_catalog.unnest(_tally_slots) AS slot;
    END IF;
  ELSE
    -- the wide key in shared mode (re-taking a held lock is free), then each slot, in array order
    PERFORM pg_catalog.pg_advisory_xact_lock_shared(-766383820, -1), pg_catalog.pg_advisory_xact_lock(-766383820, slot)
    FROM pg_catalog.unnest(_tally_slots) AS slot;
  END IF;

  -- Add the new rows' per-group partial aggregates to their groups (creating new groups).
  -- Collect the groups left empty (deleted below) and those to recompute from the source.
  WITH changed AS (
    INSERT INTO shop.orders_daily AS s (region, day, channel, orders, paid_orders, with_qty, units, first_order, biggest, all_paid, any_paid, _tally_rows, _tally_sum_revenue, _tally_nn_revenue, _tally_nan_revenue, _tally_pinf_revenue, _tally_ninf_revenue, _tally_nn_units, _tally_sum_avg_amount, _tally_nn_avg_amount, _tally_nan_avg_amount, _tally_pinf_avg_amount, _tally_ninf_avg_amount, _tally_sum_avg_qty, _tally_nn_avg_qty, _tally_sum_avg_weight, _tally_nn_avg_weight, _tally_nan_avg_weight, _tally_pinf_avg_weight, _tally_ninf_avg_weight)
    SELECT
      region,
      placed_at::date AS day,
      data ->> 'channel' AS channel,
      count(*) AS orders,
      count(*) FILTER (WHERE paid) AS paid_orders,
      count(qty) AS with_qty,
      sum(qty) AS units,
      min(placed_at) AS first_order,
      max(amount) FILTER (WHERE qty > 0) AS biggest,
      bool_and(paid) AS all_paid,
      bool_or(paid) AS any_paid,
      count(*) AS _tally_rows,
      sum(amount) FILTER (WHERE (paid) AND ((amount) NOT IN ('NaN', 'Infinity', '-Infinity'))) AS _tally_sum_revenue,
      count(amount) FILTER (WHERE paid) AS _tally_nn_revenue,
      count(*) FILTER (WHERE (paid) AND ((amount) = 'NaN')) AS _tally_nan_revenue,
      count(*) FILTER (WHERE (paid) AND ((amount) = 'Infinity')) AS _tally_pinf_revenue,
      count(*) FILTER (WHERE (paid) AND ((amount) = '-Infinity')) AS _tally_ninf_revenue,
      count(qty) AS _tally_nn_units,
      sum(amount) FILTER (WHERE (amount) NOT IN ('NaN', 'Infinity', '-Infinity')) AS _tally_sum_avg_amount,
      count(amount) AS _tally_nn_avg_amount,
      count(*) FILTER (WHERE (amount) = 'NaN') AS _tally_nan_avg_amount,
      count(*) FILTER (WHERE (amount) = 'Infinity') AS _tally_pinf_avg_amount,
      count(*) FILTER (WHERE (amount) = '-Infinity') AS _tally_ninf_avg_amount,
      sum(qty) AS _tally_sum_avg_qty,
      count(qty) AS _tally_nn_avg_qty,
      sum(weight) FILTER (WHERE (weight) NOT IN ('NaN', 'Infinity', '-Infinity')) AS _tally_sum_avg_weight,
      count(weight) AS _tally_nn_avg_weight,
      count(*) FILTER (WHERE (weight) = 'NaN') AS _tally_nan_avg_weight,
      count(*) FILTER (WHERE (weight) = 'Infinity') AS _tally_pinf_avg_weight,
      count(*) FILTER (WHERE (weight) = '-Infinity') AS _tally_ninf_avg_weight
    FROM _tally_new
    WHERE deleted_at IS NULL AND (data ->> 'status') <> 'draft'
    GROUP BY 1, 2, 3
    ON CONFLICT (region, day, channel) DO UPDATE SET
      orders = s.orders + EXCLUDED.orders,
      paid_orders = s.paid_orders + EXCLUDED.paid_orders,
      with_qty = s.with_qty + EXCLUDED.with_qty,
      units = COALESCE(s.units + EXCLUDED.units, s.units, EXCLUDED.units),
      first_order = LEAST(s.first_order, EXCLUDED.first_order),
      biggest = GREATEST(s.biggest, EXCLUDED.biggest),
      all_paid = LEAST(s.all_paid, EXCLUDED.all_paid),
      any_paid = GREATEST(s.any_paid, EXCLUDED.any_paid),
      _tally_rows = s._tally_rows + EXCLUDED._tally_rows,
      _tally_sum_revenue = COALESCE(s._tally_sum_revenue + EXCLUDED._tally_sum_revenue, s._tally_sum_revenue, EXCLUDED._tally_sum_revenue),
      _tally_nn_revenue = s._tally_nn_revenue + EXCLUDED._tally_nn_revenue,
      _tally_nan_revenue = s._tally_nan_revenue + EXCLUDED._tally_nan_revenue,
      _tally_pinf_revenue = s._tally_pinf_revenue + EXCLUDED._tally_pinf_revenue,
      _tally_ninf_revenue = s._tally_ninf_revenue + EXCLUDED._tally_ninf_revenue,
      _tally_nn_units = s._tally_nn_units + EXCLUDED._tally_nn_units,
      _tally_sum_avg_amount = COALESCE(s._tally_sum_avg_amount + EXCLUDED._tally_sum_avg_amount, s._tally_sum_avg_amount, EXCLUDED._tally_sum_avg_amount),
      _tally_nn_avg_amount = s._tally_nn_avg_amount + EXCLUDED._tally_nn_avg_amount,
      _tally_nan_avg_amount = s._tally_nan_avg_amount + EXCLUDED._tally_nan_avg_amount,
      _tally_pinf_avg_amount = s._tally_pinf_avg_amount + EXCLUDED._tally_pinf_avg_amount,
      _tally_ninf_avg_amount = s._tally_ninf_avg_amount + EXCLUDED._tally_ninf_avg_amount,
      _tally_sum_avg_qty = COALESCE(s._tally_sum_avg_qty + EXCLUDED._tally_sum_avg_qty, s._tally_sum_avg_qty, EXCLUDED._tally_sum_avg_qty),
      _tally_nn_avg_qty = s._tally_nn_avg_qty + EXCLUDED._tally_nn_avg_qty,
      _tally_sum_avg_weight = COALESCE(s._tally_sum_avg_weight + EXCLUDED._tally_sum_avg_weight, s._tally_sum_avg_weight, EXCLUDED._tally_sum_avg_weight),
      _tally_nn_avg_weight = s._tally_nn_avg_weight + EXCLUDED._tally_nn_avg_weight,
      _tally_nan_avg_weight = s._tally_nan_avg_weight + EXCLUDED._tally_nan_avg_weight,
      _tally_pinf_avg_weight = s._tally_pinf_avg_weight + EXCLUDED._tally_pinf_avg_weight,
      _tally_ninf_avg_weight = s._tally_ninf_avg_weight + EXCLUDED._tally_ninf_avg_weight
    RETURNING s.ctid AS row_id, s._tally_rows AS group_rows
  )
  SELECT array_agg(row_id) FILTER (WHERE group_rows > 0)
  INTO _tally_stale
  FROM changed;

  -- REPEATABLE READ / SERIALIZABLE: the recompute below reads this transaction's snapshot.
  -- Locking the groups' rows as that snapshot sees them raises 40001 (could not serialize)
  -- if another transaction changed these groups since: a retryable error, never drift.
  IF _tally_stale IS NOT NULL AND pg_catalog.current_setting('transaction_isolation') <> 'read committed' THEN
    PERFORM 1 FROM shop.orders_daily AS o
    WHERE o.ctid = ANY (ARRAY(
      SELECT x.ctid
      FROM shop.orders_daily AS s
        CROSS JOIN LATERAL (
          SELECT x.ctid FROM shop.orders_daily AS x WHERE x.region = s.region AND x.day = s.day AND x.channel = s.channel
          UNION ALL
          SELECT x.ctid FROM shop.orders_daily AS x WHERE s.region IS NULL AND x.region IS NULL AND x.day = s.day AND x.channel = s.channel
          UNION ALL
          SELECT x.ctid FROM shop.orders_daily AS x WHERE x.region = s.region AND s.day IS NULL AND x.day IS NULL AND x.channel = s.channel
          UNION ALL
          SELECT x.ctid FROM shop.orders_daily AS x WHERE s.region IS NULL AND x.region IS NULL AND s.day IS NULL AND x.day IS NULL AND x.channel = s.channel
          UNION ALL
          SELECT x.ctid FROM shop.orders_daily AS x WHERE x.region = s.region AND x.day = s.day AND s.channel IS NULL AND x.channel IS NULL
          UNION ALL
          SELECT x.ctid FROM shop.orders_daily AS x WHERE s.region IS NULL AND x.region IS NULL AND x.day = s.day AND s.channel IS NULL AND x.channel IS NULL
          UNION ALL
          SELECT x.ctid FROM shop.orders_daily AS x WHERE x.region = s.region AND s.day IS NULL AND x.day IS NULL AND s.channel IS NULL AND x.channel IS NULL
          UNION ALL
          SELECT x.ctid FROM shop.orders_daily AS x WHERE s.region IS NULL AND x.region IS NULL AND s.day IS NULL AND x.day IS NULL AND s.channel IS NULL AND x.channel IS NULL
        ) AS x
      WHERE s.ctid = ANY (_tally_stale)
    ))
    FOR UPDATE OF o;
  END IF;

  -- count(DISTINCT …) and array_agg cannot be updated from the delta: recompute them for the
  -- touched groups from the source (under the group locks, through the index on the keys).
  IF _tally_stale IS NOT NULL THEN
    UPDATE shop.orders_daily AS s SET
      (customers, tags) = (
        SELECT count(DISTINCT customer_id), array_agg(tag ORDER BY placed_at DESC, id)
        FROM (
          SELECT * FROM shop.orders AS t WHERE region = s.region AND placed_at::date = s.day AND data ->> 'channel' = s.channel
          UNION ALL
          SELECT * FROM shop.orders AS t WHERE s.region IS NULL AND region IS NULL AND placed_at::date = s.day AND data ->> 'channel' = s.channel
          UNION ALL
          SELECT * FROM shop.orders AS t WHERE region = s.region AND s.day IS NULL AND placed_at::date IS NULL AND data ->> 'channel' = s.channel
          UNION ALL
          SELECT * FROM shop.orders AS t WHERE s.region IS NULL AND region IS NULL AND s.day IS NULL AND placed_at::date IS NULL AND data ->> 'channel' = s.channel
          UNION ALL
          SELECT * FROM shop.orders AS t WHERE region = s.region AND placed_at::date = s.day AND s.channel IS NULL AND data ->> 'channel' IS NULL
          UNION ALL
          SELECT * FROM shop.orders AS t WHERE s.region IS NULL AND region IS NULL AND placed_at::date = s.day AND s.channel IS NULL AND data ->> 'channel' IS NULL
          UNION ALL
          SELECT * FROM shop.orders AS t WHERE region = s.region AND s.day IS NULL AND placed_at::date IS NULL AND s.channel IS NULL AND data ->> 'channel' IS NULL
          UNION ALL
          SELECT * FROM shop.orders AS t WHERE s.region IS NULL AND region IS NULL AND s.day IS NULL AND placed_at::date IS NULL AND s.channel IS NULL AND data ->> 'channel' IS NULL
        ) AS t
        WHERE deleted_at IS NULL AND (data ->> 'status') <> 'draft'
      )
    WHERE s.ctid = ANY (_tally_stale);
  END IF;
  RETURN NULL;
END;
$tally$;

REVOKE ALL ON FUNCTION shop.tally_orders_daily_ins() FROM PUBLIC;

CREATE FUNCTION shop.tally_orders_daily_upd() RETURNS trigger
LANGUAGE plpgsql
SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $tally$
-- Tally summary "orders_daily": keeps shop.orders_daily exact after UPDATE on shop.orders.
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
    SELECT pg_catalog.hash_record(ROW(region, placed_at::date, data ->> 'channel')) & 1023 AS slot FROM _tally_new WHERE deleted_at IS NULL AND (data ->> 'status') <> 'draft'
    UNION
    SELECT pg_catalog.hash_record(ROW(region, placed_at::date, data ->> 'channel')) & 1023 AS slot FROM _tally_old WHERE deleted_at IS NULL AND (data ->> 'status') <> 'draft'
    ORDER BY 1
  );
  IF _tally_slots = '{}' THEN
    RETURN NULL; -- no row passes the summary's WHERE: nothing to maintain
  END IF;
  IF pg_catalog.cardinality(_tally_slots) > 64 THEN
    IF NOT EXISTS (SELECT 1 FROM pg_catalog.pg_locks AS l WHERE l.locktype = 'advisory' AND l.pid = pg_catalog.pg_backend_pid() AND l.classid = 3528583476 AND l.objid = 4294967295 AND l.objsubid = 2 AND l.mode = 'ShareLock') THEN
      -- many groups: one summary-wide exclusive lock instead of one lock per slot (not when this
      -- transaction already holds it shared: upgrading would deadlock with another such transaction)
      PERFORM pg_catalog.pg_advisory_xact_lock(-766383820, -1);
    ELSE
      PERFORM pg_catalog.pg_advisory_xact_lock_shared(-766383820, -1), pg_catalog.pg_advisory_xact_lock(-766383820, slot)
      FROM pg_catalog.unnest(_tally_slots) AS slot;
    END IF;
  ELSE
    -- the wide key in shared mode (re-taking a held lock is free), then each slot, in array order
    PERFORM pg_catalog.pg_advisory_xact_lock_shared(-766383820, -1), pg_catalog.pg_advisory_xact_lock(-766383820, slot)
    FROM pg_catalog.unnest(_tally_slots) AS slot;
  END IF;

  -- Add what the new row versions contribute and subtract what the old ones did, per group;
  -- groups whose aggregates do not change are skipped.
  -- Collect the groups left empty (deleted below) and those to recompute from the source.
  WITH changed AS (
    INSERT INTO shop.orders_daily AS s (region, day, channel, orders, paid_orders, with_qty, units, first_order, biggest, all_paid, any_paid, _tally_rows, _tally_sum_revenue, _tally_nn_revenue, _tally_nan_revenue, _tally_pinf_revenue, _tally_ninf_revenue, _tally_nn_units, _tally_sum_avg_amount, _tally_nn_avg_amount, _tally_nan_avg_amount, _tally_pinf_avg_amount, _tally_ninf_avg_amount, _tally_sum_avg_qty, _tally_nn_avg_qty, _tally_sum_avg_weight, _tally_nn_avg_weight, _tally_nan_avg_weight, _tally_pinf_avg_weight, _tally_ninf_avg_weight, _tally_removed_first_order, _tally_removed_biggest, _tally_removed_all_paid, _tally_removed_any_paid)
    SELECT
      region,
      placed_at::date AS day,
      data ->> 'channel' AS channel,
      count(*) FILTER (WHERE _tally_sign > 0) - count(*) FILTER (WHERE _tally_sign < 0) AS orders,
      count(*) FILTER (WHERE _tally_sign > 0 AND (paid)) - count(*) FILTER (WHERE _tally_sign < 0 AND (paid)) AS paid_orders,
      count(qty) FILTER (WHERE _tally_sign > 0) - count(qty) FILTER (WHERE _tally_sign < 0) AS with_qty,
      sum(qty * _tally_sign) AS units,
      min(placed_at) FILTER (WHERE _tally_sign > 0) AS first_order,
      max(amount) FILTER (WHERE _tally_sign > 0 AND (qty > 0)) AS biggest,
      bool_and(paid) FILTER (WHERE _tally_sign > 0) AS all_paid,
      bool_or(paid) FILTER (WHERE _tally_sign > 0) AS any_paid,
      sum(_tally_sign) AS _tally_rows,
      sum(amount * _tally_sign) FILTER (WHERE (paid) AND ((amount) NOT IN ('NaN', 'Infinity', '-Infinity'))) AS _tally_sum_revenue,
      count(amount) FILTER (WHERE _tally_sign > 0 AND (paid)) - count(amount) FILTER (WHERE _tally_sign < 0 AND (paid)) AS _tally_nn_revenue,
      count(*) FILTER (WHERE _tally_sign > 0 AND ((paid) AND ((amount) = 'NaN'))) - count(*) FILTER (WHERE _tally_sign < 0 AND ((paid) AND ((amount) = 'NaN'))) AS _tally_nan_revenue,
      count(*) FILTER (WHERE _tally_sign > 0 AND ((paid) AND ((amount) = 'Infinity'))) - count(*) FILTER (WHERE _tally_sign < 0 AND ((paid) AND ((amount) = 'Infinity'))) AS _tally_pinf_revenue,
      count(*) FILTER (WHERE _tally_sign > 0 AND ((paid) AND ((amount) = '-Infinity'))) - count(*) FILTER (WHERE _tally_sign < 0 AND ((paid) AND ((amount) = '-Infinity'))) AS _tally_ninf_revenue,
      count(qty) FILTER (WHERE _tally_sign > 0) - count(qty) FILTER (WHERE _tally_sign < 0) AS _tally_nn_units,
      sum(amount * _tally_sign) FILTER (WHERE (amount) NOT IN ('NaN', 'Infinity', '-Infinity')) AS _tally_sum_avg_amount,
      count(amount) FILTER (WHERE _tally_sign > 0) - count(amount) FILTER (WHERE _tally_sign < 0) AS _tally_nn_avg_amount,
      count(*) FILTER (WHERE _tally_sign > 0 AND ((amount) = 'NaN')) - count(*) FILTER (WHERE _tally_sign < 0 AND ((amount) = 'NaN')) AS _tally_nan_avg_amount,
      count(*) FILTER (WHERE _tally_sign > 0 AND ((amount) = 'Infinity')) - count(*) FILTER (WHERE _tally_sign < 0 AND ((amount) = 'Infinity')) AS _tally_pinf_avg_amount,
      count(*) FILTER (WHERE _tally_sign > 0 AND ((amount) = '-Infinity')) - count(*) FILTER (WHERE _tally_sign < 0 AND ((amount) = '-Infinity')) AS _tally_ninf_avg_amount,
      sum(qty * _tally_sign) AS _tally_sum_avg_qty,
      count(qty) FILTER (WHERE _tally_sign > 0) - count(qty) FILTER (WHERE _tally_sign < 0) AS _tally_nn_avg_qty,
      sum(weight * _tally_sign) FILTER (WHERE (weight) NOT IN ('NaN', 'Infinity', '-Infinity')) AS _tally_sum_avg_weight,
      count(weight) FILTER (WHERE _tally_sign > 0) - count(weight) FILTER (WHERE _tally_sign < 0) AS _tally_nn_avg_weight,
      count(*) FILTER (WHERE _tally_sign > 0 AND ((weight) = 'NaN')) - count(*) FILTER (WHERE _tally_sign < 0 AND ((weight) = 'NaN')) AS _tally_nan_avg_weight,
      count(*) FILTER (WHERE _tally_sign > 0 AND ((weight) = 'Infinity')) - count(*) FILTER (WHERE _tally_sign < 0 AND ((weight) = 'Infinity')) AS _tally_pinf_avg_weight,
      count(*) FILTER (WHERE _tally_sign > 0 AND ((weight) = '-Infinity')) - count(*) FILTER (WHERE _tally_sign < 0 AND ((weight) = '-Infinity')) AS _tally_ninf_avg_weight,
      min(placed_at) FILTER (WHERE _tally_sign < 0) AS _tally_removed_first_order,
      max(amount) FILTER (WHERE _tally_sign < 0 AND (qty > 0)) AS _tally_removed_biggest,
      bool_and(paid) FILTER (WHERE _tally_sign < 0) AS _tally_removed_all_paid,
      bool_or(paid) FILTER (WHERE _tally_sign < 0) AS _tally_removed_any_paid
    FROM (
      SELECT t.*, 1::bigint AS _tally_sign FROM _tally_new AS t
      UNION ALL
      SELECT t.*, -1 FROM _tally_old AS t
    ) AS d
    WHERE deleted_at IS NULL AND (data ->> 'status') <> 'draft'
    GROUP BY 1, 2, 3
    ON CONFLICT (region, day, channel) DO UPDATE SET
      orders = s.orders + EXCLUDED.orders,
      paid_orders = s.paid_orders + EXCLUDED.paid_orders,
      with_qty = s.with_qty + EXCLUDED.with_qty,
      units = CASE WHEN s._tally_nn_units + EXCLUDED._tally_nn_units = 0 THEN NULL ELSE COALESCE(s.units + EXCLUDED.units, s.units, EXCLUDED.units) END,
      first_order = LEAST(s.first_order, EXCLUDED.first_order),
      biggest = GREATEST(s.biggest, EXCLUDED.biggest),
      all_paid = LEAST(s.all_paid, EXCLUDED.all_paid),
      any_paid = GREATEST(s.any_paid, EXCLUDED.any_paid),
      _tally_rows = s._tally_rows + EXCLUDED._tally_rows,
      _tally_sum_revenue = CASE WHEN s._tally_nn_revenue + EXCLUDED._tally_nn_revenue = 0 THEN NULL ELSE COALESCE(s._tally_sum_revenue + EXCLUDED._tally_sum_revenue, s._tally_sum_revenue, EXCLUDED._tally_sum_revenue) END,
      _tally_nn_revenue = s._tally_nn_revenue + EXCLUDED._tally_nn_revenue,
      _tally_nan_revenue = s._tally_nan_revenue + EXCLUDED._tally_nan_revenue,
      _tally_pinf_revenue = s._tally_pinf_revenue + EXCLUDED._tally_pinf_revenue,
      _tally_ninf_revenue = s._tally_ninf_revenue + EXCLUDED._tally_ninf_revenue,
      _tally_nn_units = s._tally_nn_units + EXCLUDED._tally_nn_units,
      _tally_sum_avg_amount = CASE WHEN s._tally_nn_avg_amount + EXCLUDED._tally_nn_avg_amount = 0 THEN NULL ELSE COALESCE(s._tally_sum_avg_amount + EXCLUDED._tally_sum_avg_amount, s._tally_sum_avg_amount, EXCLUDED._tally_sum_avg_amount) END,
      _tally_nn_avg_amount = s._tally_nn_avg_amount + EXCLUDED._tally_nn_avg_amount,
      _tally_nan_avg_amount = s._tally_nan_avg_amount + EXCLUDED._tally_nan_avg_amount,
      _tally_pinf_avg_amount = s._tally_pinf_avg_amount + EXCLUDED._tally_pinf_avg_amount,
      _tally_ninf_avg_amount = s._tally_ninf_avg_amount + EXCLUDED._tally_ninf_avg_amount,
      _tally_sum_avg_qty = CASE WHEN s._tally_nn_avg_qty + EXCLUDED._tally_nn_avg_qty = 0 THEN NULL ELSE COALESCE(s._tally_sum_avg_qty + EXCLUDED._tally_sum_avg_qty, s._tally_sum_avg_qty, EXCLUDED._tally_sum_avg_qty) END,
      _tally_nn_avg_qty = s._tally_nn_avg_qty + EXCLUDED._tally_nn_avg_qty,
      _tally_sum_avg_weight = CASE WHEN s._tally_nn_avg_weight + EXCLUDED._tally_nn_avg_weight = 0 THEN NULL ELSE COALESCE(s._tally_sum_avg_weight + EXCLUDED._tally_sum_avg_weight, s._tally_sum_avg_weight, EXCLUDED._tally_sum_avg_weight) END,
      _tally_nn_avg_weight = s._tally_nn_avg_weight + EXCLUDED._tally_nn_avg_weight,
      _tally_nan_avg_weight = s._tally_nan_avg_weight + EXCLUDED._tally_nan_avg_weight,
      _tally_pinf_avg_weight = s._tally_pinf_avg_weight + EXCLUDED._tally_pinf_avg_weight,
      _tally_ninf_avg_weight = s._tally_ninf_avg_weight + EXCLUDED._tally_ninf_avg_weight,
      _tally_removed_first_order = CASE WHEN EXCLUDED._tally_removed_first_order IS NOT NULL AND (s.first_order IS NULL OR EXCLUDED._tally_removed_first_order <= s.first_order) AND (EXCLUDED.first_order IS NULL OR EXCLUDED.first_order > EXCLUDED._tally_removed_first_order) THEN EXCLUDED._tally_removed_first_order END,
      _tally_removed_biggest = CASE WHEN EXCLUDED._tally_removed_biggest IS NOT NULL AND (s.biggest IS NULL OR EXCLUDED._tally_removed_biggest >= s.biggest) AND (EXCLUDED.biggest IS NULL OR EXCLUDED.biggest < EXCLUDED._tally_removed_biggest) THEN EXCLUDED._tally_removed_biggest END,
      _tally_removed_all_paid = CASE WHEN EXCLUDED._tally_removed_all_paid IS NOT NULL AND (s.all_paid IS NULL OR EXCLUDED._tally_removed_all_paid <= s.all_paid) AND (EXCLUDED.all_paid IS NULL OR EXCLUDED.all_paid > EXCLUDED._tally_removed_all_paid) THEN EXCLUDED._tally_removed_all_paid END,
      _tally_removed_any_paid = CASE WHEN EXCLUDED._tally_removed_any_paid IS NOT NULL AND (s.any_paid IS NULL OR EXCLUDED._tally_removed_any_paid >= s.any_paid) AND (EXCLUDED.any_paid IS NULL OR EXCLUDED.any_paid < EXCLUDED._tally_removed_any_paid) THEN EXCLUDED._tally_removed_any_paid END
    RETURNING s.ctid AS row_id, s._tally_rows AS group_rows
  )
  SELECT array_agg(row_id) FILTER (WHERE group_rows <= 0), array_agg(row_id) FILTER (WHERE group_rows > 0)
  INTO _tally_gone, _tally_stale
  FROM changed;

  -- A group with no rows left disappears, as it does from the defining query.
  IF _tally_gone IS NOT NULL THEN
    DELETE FROM shop.orders_daily WHERE ctid = ANY (_tally_gone);
  END IF;

  -- REPEATABLE READ / SERIALIZABLE: the recompute below reads this transaction's snapshot.
  -- Locking the groups' rows as that snapshot sees them raises 40001 (could not serialize)
  -- if another transaction changed these groups since: a retryable error, never drift.
  IF _tally_stale IS NOT NULL AND pg_catalog.current_setting('transaction_isolation') <> 'read committed' THEN
    PERFORM 1 FROM shop.orders_daily AS o
    WHERE o.ctid = ANY (ARRAY(
      SELECT x.ctid
      FROM shop.orders_daily AS s
        CROSS JOIN LATERAL (
          SELECT x.ctid FROM shop.orders_daily AS x WHERE x.region = s.region AND x.day = s.day AND x.channel = s.channel
          UNION ALL
          SELECT x.ctid FROM shop.orders_daily AS x WHERE s.region IS NULL AND x.region IS NULL AND x.day = s.day AND x.channel = s.channel
          UNION ALL
          SELECT x.ctid FROM shop.orders_daily AS x WHERE x.region = s.region AND s.day IS NULL AND x.day IS NULL AND x.channel = s.channel
          UNION ALL
          SELECT x.ctid FROM shop.orders_daily AS x WHERE s.region IS NULL AND x.region IS NULL AND s.day IS NULL AND x.day IS NULL AND x.channel = s.channel
          UNION ALL
          SELECT x.ctid FROM shop.orders_daily AS x WHERE x.region = s.region AND x.day = s.day AND s.channel IS NULL AND x.channel IS NULL
          UNION ALL
          SELECT x.ctid FROM shop.orders_daily AS x WHERE s.region IS NULL AND x.region IS NULL AND x.day = s.day AND s.channel IS NULL AND x.channel IS NULL
          UNION ALL
          SELECT x.ctid FROM shop.orders_daily AS x WHERE x.region = s.region AND s.day IS NULL AND x.day IS NULL AND s.channel IS NULL AND x.channel IS NULL
          UNION ALL
          SELECT x.ctid FROM shop.orders_daily AS x WHERE s.region IS NULL AND x.region IS NULL AND s.day IS NULL AND x.day IS NULL AND s.channel IS NULL AND x.channel IS NULL
        ) AS x
      WHERE s.ctid = ANY (_tally_stale)
    ))
    FOR UPDATE OF o;
  END IF;

  -- Recompute what the delta cannot undo (a removed min/max or numeric scale, count(DISTINCT …),
  -- array_agg) for just the stale groups, from the source, under the group locks. Sums are never
  -- recomputed: another trigger of the same statement adds its rows' delta to them.
  IF _tally_stale IS NOT NULL THEN
    UPDATE shop.orders_daily AS s SET
      (first_order, biggest, all_paid, any_paid, customers, tags) = (
        SELECT min(placed_at), max(amount) FILTER (WHERE qty > 0), bool_and(paid), bool_or(paid), count(DISTINCT customer_id), array_agg(tag ORDER BY placed_at DESC, id)
        FROM (
          SELECT * FROM shop.orders AS t WHERE region = s.region AND placed_at::date = s.day AND data ->> 'channel' = s.channel
          UNION ALL
          SELECT * FROM shop.orders AS t WHERE s.region IS NULL AND region IS NULL AND placed_at::date = s.day AND data ->> 'channel' = s.channel
          UNION ALL
          SELECT * FROM shop.orders AS t WHERE region = s.region AND s.day IS NULL AND placed_at::date IS NULL AND data ->> 'channel' = s.channel
          UNION ALL
          SELECT * FROM shop.orders AS t WHERE s.region IS NULL AND region IS NULL AND s.day IS NULL AND placed_at::date IS NULL AND data ->> 'channel' = s.channel
          UNION ALL
          SELECT * FROM shop.orders AS t WHERE region = s.region AND placed_at::date = s.day AND s.channel IS NULL AND data ->> 'channel' IS NULL
          UNION ALL
          SELECT * FROM shop.orders AS t WHERE s.region IS NULL AND region IS NULL AND placed_at::date = s.day AND s.channel IS NULL AND data ->> 'channel' IS NULL
          UNION ALL
          SELECT * FROM shop.orders AS t WHERE region = s.region AND s.day IS NULL AND placed_at::date IS NULL AND s.channel IS NULL AND data ->> 'channel' IS NULL
          UNION ALL
          SELECT * FROM shop.orders AS t WHERE s.region IS NULL AND region IS NULL AND s.day IS NULL AND placed_at::date IS NULL AND s.channel IS NULL AND data ->> 'channel' IS NULL
        ) AS t
        WHERE deleted_at IS NULL AND (data ->> 'status') <> 'draft'
      ),
      _tally_removed_first_order = NULL,
      _tally_removed_biggest = NULL,
      _tally_removed_all_paid = NULL,
      _tally_removed_any_paid = NULL
    WHERE s.ctid = ANY (_tally_stale);
  END IF;
  RETURN NULL;
END;
$tally$;

REVOKE ALL ON FUNCTION shop.tally_orders_daily_upd() FROM PUBLIC;

CREATE FUNCTION shop.tally_orders_daily_del() RETURNS trigger
LANGUAGE plpgsql
SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $tally$
-- Tally summary "orders_daily": keeps shop.orders_daily exact after DELETE on shop.orders.
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
    SELECT DISTINCT pg_catalog.hash_record(ROW(region, placed_at::date, data ->> 'channel')) & 1023 AS slot FROM _tally_old WHERE deleted_at IS NULL AND (data ->> 'status') <> 'draft'
    ORDER BY 1
  );
  IF _tally_slots = '{}' THEN
    RETURN NULL; -- no row passes the summary's WHERE: nothing to maintain
  END IF;
  IF pg_catalog.cardinality(_tally_slots) > 64 THEN
    IF NOT EXISTS (SELECT 1 FROM pg_catalog.pg_locks AS l WHERE l.locktype = 'advisory' AND l.pid = pg_catalog.pg_backend_pid() AND l.classid = 3528583476 AND l.objid = 4294967295 AND l.objsubid = 2 AND l.mode = 'ShareLock') THEN
      -- many groups: one summary-wide exclusive lock instead of one lock per slot (not when this
      -- transaction already holds it shared: upgrading would deadlock with another such transaction)
      PERFORM pg_catalog.pg_advisory_xact_lock(-766383820, -1);
    ELSE
      PERFORM pg_catalog.pg_advisory_xact_lock_shared(-766383820, -1), pg_catalog.pg_advisory_xact_lock(-766383820, slot)
      FROM pg_catalog.unnest(_tally_slots) AS slot;
    END IF;
  ELSE
    -- the wide key in shared mode (re-taking a held lock is free), then each slot, in array order
    PERFORM pg_catalog.pg_advisory_xact_lock_shared(-766383820, -1), pg_catalog.pg_advisory_xact_lock(-766383820, slot)
    FROM pg_catalog.unnest(_tally_slots) AS slot;
  END IF;

  -- Subtract the deleted rows' per-group partial aggregates from their groups.
  -- Collect the groups left empty (deleted below) and those to recompute from the source.
  WITH changed AS (
    INSERT INTO shop.orders_daily AS s (region, day, channel, orders, paid_orders, with_qty, units, _tally_rows, _tally_sum_revenue, _tally_nn_revenue, _tally_nan_revenue, _tally_pinf_revenue, _tally_ninf_revenue, _tally_nn_units, _tally_sum_avg_amount, _tally_nn_avg_amount, _tally_nan_avg_amount, _tally_pinf_avg_amount, _tally_ninf_avg_amount, _tally_sum_avg_qty, _tally_nn_avg_qty, _tally_sum_avg_weight, _tally_nn_avg_weight, _tally_nan_avg_weight, _tally_pinf_avg_weight, _tally_ninf_avg_weight, _tally_removed_first_order, _tally_removed_biggest, _tally_removed_all_paid, _tally_removed_any_paid)
    SELECT
      region,
      placed_at::date AS day,
      data ->> 'channel' AS channel,
      -count(*) AS orders,
      -count(*) FILTER (WHERE paid) AS paid_orders,
      -count(qty) AS with_qty,
      -sum(qty) AS units,
      -count(*) AS _tally_rows,
      -sum(amount) FILTER (WHERE (paid) AND ((amount) NOT IN ('NaN', 'Infinity', '-Infinity'))) AS _tally_sum_revenue,
      -count(amount) FILTER (WHERE paid) AS _tally_nn_revenue,
      -count(*) FILTER (WHERE (paid) AND ((amount) = 'NaN')) AS _tally_nan_revenue,
      -count(*) FILTER (WHERE (paid) AND ((amount) = 'Infinity')) AS _tally_pinf_revenue,
      -count(*) FILTER (WHERE (paid) AND ((amount) = '-Infinity')) AS _tally_ninf_revenue,
      -count(qty) AS _tally_nn_units,
      -sum(amount) FILTER (WHERE (amount) NOT IN ('NaN', 'Infinity', '-Infinity')) AS _tally_sum_avg_amount,
      -count(amount) AS _tally_nn_avg_amount,
      -count(*) FILTER (WHERE (amount) = 'NaN') AS _tally_nan_avg_amount,
      -count(*) FILTER (WHERE (amount) = 'Infinity') AS _tally_pinf_avg_amount,
      -count(*) FILTER (WHERE (amount) = '-Infinity') AS _tally_ninf_avg_amount,
      -sum(qty) AS _tally_sum_avg_qty,
      -count(qty) AS _tally_nn_avg_qty,
      -sum(weight) FILTER (WHERE (weight) NOT IN ('NaN', 'Infinity', '-Infinity')) AS _tally_sum_avg_weight,
      -count(weight) AS _tally_nn_avg_weight,
      -count(*) FILTER (WHERE (weight) = 'NaN') AS _tally_nan_avg_weight,
      -count(*) FILTER (WHERE (weight) = 'Infinity') AS _tally_pinf_avg_weight,
      -count(*) FILTER (WHERE (weight) = '-Infinity') AS _tally_ninf_avg_weight,
      min(placed_at) AS _tally_removed_first_order,
      max(amount) FILTER (WHERE qty > 0) AS _tally_removed_biggest,
      bool_and(paid) AS _tally_removed_all_paid,
      bool_or(paid) AS _tally_removed_any_paid
    FROM _tally_old
    WHERE deleted_at IS NULL AND (data ->> 'status') <> 'draft'
    GROUP BY 1, 2, 3
    ON CONFLICT (region, day, channel) DO UPDATE SET
      orders = s.orders + EXCLUDED.orders,
      paid_orders = s.paid_orders + EXCLUDED.paid_orders,
      with_qty = s.with_qty + EXCLUDED.with_qty,
      units = CASE WHEN s._tally_nn_units + EXCLUDED._tally_nn_units = 0 THEN NULL ELSE COALESCE(s.units + EXCLUDED.units, s.units, EXCLUDED.units) END,
      _tally_rows = s._tally_rows + EXCLUDED._tally_rows,
      _tally_sum_revenue = CASE WHEN s._tally_nn_revenue + EXCLUDED._tally_nn_revenue = 0 THEN NULL ELSE COALESCE(s._tally_sum_revenue + EXCLUDED._tally_sum_revenue, s._tally_sum_revenue, EXCLUDED._tally_sum_revenue) END,
      _tally_nn_revenue = s._tally_nn_revenue + EXCLUDED._tally_nn_revenue,
      _tally_nan_revenue = s._tally_nan_revenue + EXCLUDED._tally_nan_revenue,
      _tally_pinf_revenue = s._tally_pinf_revenue + EXCLUDED._tally_pinf_revenue,
      _tally_ninf_revenue = s._tally_ninf_revenue + EXCLUDED._tally_ninf_revenue,
      _tally_nn_units = s._tally_nn_units + EXCLUDED._tally_nn_units,
      _tally_sum_avg_amount = CASE WHEN s._tally_nn_avg_amount + EXCLUDED._tally_nn_avg_amount = 0 THEN NULL ELSE COALESCE(s._tally_sum_avg_amount + EXCLUDED._tally_sum_avg_amount, s._tally_sum_avg_amount, EXCLUDED._tally_sum_avg_amount) END,
      _tally_nn_avg_amount = s._tally_nn_avg_amount + EXCLUDED._tally_nn_avg_amount,
      _tally_nan_avg_amount = s._tally_nan_avg_amount + EXCLUDED._tally_nan_avg_amount,
      _tally_pinf_avg_amount = s._tally_pinf_avg_amount + EXCLUDED._tally_pinf_avg_amount,
      _tally_ninf_avg_amount = s._tally_ninf_avg_amount + EXCLUDED._tally_ninf_avg_amount,
      _tally_sum_avg_qty = CASE WHEN s._tally_nn_avg_qty + EXCLUDED._tally_nn_avg_qty = 0 THEN NULL ELSE COALESCE(s._tally_sum_avg_qty + EXCLUDED._tally_sum_avg_qty, s._tally_sum_avg_qty, EXCLUDED._tally_sum_avg_qty) END,
      _tally_nn_avg_qty = s._tally_nn_avg_qty + EXCLUDED._tally_nn_avg_qty,
      _tally_sum_avg_weight = CASE WHEN s._tally_nn_avg_weight + EXCLUDED._tally_nn_avg_weight = 0 THEN NULL ELSE COALESCE(s._tally_sum_avg_weight + EXCLUDED._tally_sum_avg_weight, s._tally_sum_avg_weight, EXCLUDED._tally_sum_avg_weight) END,
      _tally_nn_avg_weight = s._tally_nn_avg_weight + EXCLUDED._tally_nn_avg_weight,
      _tally_nan_avg_weight = s._tally_nan_avg_weight + EXCLUDED._tally_nan_avg_weight,
      _tally_pinf_avg_weight = s._tally_pinf_avg_weight + EXCLUDED._tally_pinf_avg_weight,
      _tally_ninf_avg_weight = s._tally_ninf_avg_weight + EXCLUDED._tally_ninf_avg_weight,
      _tally_removed_first_order = CASE WHEN EXCLUDED._tally_removed_first_order IS NOT NULL AND (s.first_order IS NULL OR EXCLUDED._tally_removed_first_order <= s.first_order) THEN EXCLUDED._tally_removed_first_order END,
      _tally_removed_biggest = CASE WHEN EXCLUDED._tally_removed_biggest IS NOT NULL AND (s.biggest IS NULL OR EXCLUDED._tally_removed_biggest >= s.biggest) THEN EXCLUDED._tally_removed_biggest END,
      _tally_removed_all_paid = CASE WHEN EXCLUDED._tally_removed_all_paid IS NOT NULL AND (s.all_paid IS NULL OR EXCLUDED._tally_removed_all_paid <= s.all_paid) THEN EXCLUDED._tally_removed_all_paid END,
      _tally_removed_any_paid = CASE WHEN EXCLUDED._tally_removed_any_paid IS NOT NULL AND (s.any_paid IS NULL OR EXCLUDED._tally_removed_any_paid >= s.any_paid) THEN EXCLUDED._tally_removed_any_paid END
    RETURNING s.ctid AS row_id, s._tally_rows AS group_rows
  )
  SELECT array_agg(row_id) FILTER (WHERE group_rows <= 0), array_agg(row_id) FILTER (WHERE group_rows > 0)
  INTO _tally_gone, _tally_stale
  FROM changed;

  -- A group with no rows left disappears, as it does from the defining query.
  IF _tally_gone IS NOT NULL THEN
    DELETE FROM shop.orders_daily WHERE ctid = ANY (_tally_gone);
  END IF;

  -- REPEATABLE READ / SERIALIZABLE: the recompute below reads this transaction's snapshot.
  -- Locking the groups' rows as that snapshot sees them raises 40001 (could not serialize)
  -- if another transaction changed these groups since: a retryable error, never drift.
  IF _tally_stale IS NOT NULL AND pg_catalog.current_setting('transaction_isolation') <> 'read committed' THEN
    PERFORM 1 FROM shop.orders_daily AS o
    WHERE o.ctid = ANY (ARRAY(
      SELECT x.ctid
      FROM shop.orders_daily AS s
        CROSS JOIN LATERAL (
          SELECT x.ctid FROM shop.orders_daily AS x WHERE x.region = s.region AND x.day = s.day AND x.channel = s.channel
          UNION ALL
          SELECT x.ctid FROM shop.orders_daily AS x WHERE s.region IS NULL AND x.region IS NULL AND x.day = s.day AND x.channel = s.channel
          UNION ALL
          SELECT x.ctid FROM shop.orders_daily AS x WHERE x.region = s.region AND s.day IS NULL AND x.day IS NULL AND x.channel = s.channel
          UNION ALL
          SELECT x.ctid FROM shop.orders_daily AS x WHERE s.region IS NULL AND x.region IS NULL AND s.day IS NULL AND x.day IS NULL AND x.channel = s.channel
          UNION ALL
          SELECT x.ctid FROM shop.orders_daily AS x WHERE x.region = s.region AND x.day = s.day AND s.channel IS NULL AND x.channel IS NULL
          UNION ALL
          SELECT x.ctid FROM shop.orders_daily AS x WHERE s.region IS NULL AND x.region IS NULL AND x.day = s.day AND s.channel IS NULL AND x.channel IS NULL
          UNION ALL
          SELECT x.ctid FROM shop.orders_daily AS x WHERE x.region = s.region AND s.day IS NULL AND x.day IS NULL AND s.channel IS NULL AND x.channel IS NULL
          UNION ALL
          SELECT x.ctid FROM shop.orders_daily AS x WHERE s.region IS NULL AND x.region IS NULL AND s.day IS NULL AND x.day IS NULL AND s.channel IS NULL AND x.channel IS NULL
        ) AS x
      WHERE s.ctid = ANY (_tally_stale)
    ))
    FOR UPDATE OF o;
  END IF;

  -- Recompute what the delta cannot undo (a removed min/max or numeric scale, count(DISTINCT …),
  -- array_agg) for just the stale groups, from the source, under the group locks. Sums are never
  -- recomputed: another trigger of the same statement adds its rows' delta to them.
  IF _tally_stale IS NOT NULL THEN
    UPDATE shop.orders_daily AS s SET
      (first_order, biggest, all_paid, any_paid, customers, tags) = (
        SELECT min(placed_at), max(amount) FILTER (WHERE qty > 0), bool_and(paid), bool_or(paid), count(DISTINCT customer_id), array_agg(tag ORDER BY placed_at DESC, id)
        FROM (
          SELECT * FROM shop.orders AS t WHERE region = s.region AND placed_at::date = s.day AND data ->> 'channel' = s.channel
          UNION ALL
          SELECT * FROM shop.orders AS t WHERE s.region IS NULL AND region IS NULL AND placed_at::date = s.day AND data ->> 'channel' = s.channel
          UNION ALL
          SELECT * FROM shop.orders AS t WHERE region = s.region AND s.day IS NULL AND placed_at::date IS NULL AND data ->> 'channel' = s.channel
          UNION ALL
          SELECT * FROM shop.orders AS t WHERE s.region IS NULL AND region IS NULL AND s.day IS NULL AND placed_at::date IS NULL AND data ->> 'channel' = s.channel
          UNION ALL
          SELECT * FROM shop.orders AS t WHERE region = s.region AND placed_at::date = s.day AND s.channel IS NULL AND data ->> 'channel' IS NULL
          UNION ALL
          SELECT * FROM shop.orders AS t WHERE s.region IS NULL AND region IS NULL AND placed_at::date = s.day AND s.channel IS NULL AND data ->> 'channel' IS NULL
          UNION ALL
          SELECT * FROM shop.orders AS t WHERE region = s.region AND s.day IS NULL AND placed_at::date IS NULL AND s.channel IS NULL AND data ->> 'channel' IS NULL
          UNION ALL
          SELECT * FROM shop.orders AS t WHERE s.region IS NULL AND region IS NULL AND s.day IS NULL AND placed_at::date IS NULL AND s.channel IS NULL AND data ->> 'channel' IS NULL
        ) AS t
        WHERE deleted_at IS NULL AND (data ->> 'status') <> 'draft'
      ),
      _tally_removed_first_order = NULL,
      _tally_removed_biggest = NULL,
      _tally_removed_all_paid = NULL,
      _tally_removed_any_paid = NULL
    WHERE s.ctid = ANY (_tally_stale);
  END IF;
  RETURN NULL;
END;
$tally$;

REVOKE ALL ON FUNCTION shop.tally_orders_daily_del() FROM PUBLIC;

CREATE FUNCTION shop.tally_orders_daily_trunc() RETURNS trigger
LANGUAGE plpgsql
SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $tally$
-- Tally summary "orders_daily": keeps shop.orders_daily exact after TRUNCATE on shop.orders.
-- Runs once per statement.
#variable_conflict use_column
BEGIN
  -- Every group changes: take the summary-wide lock exclusively.
  PERFORM pg_catalog.pg_advisory_xact_lock(-766383820, -1);

  -- The source is empty: so is every group.
  DELETE FROM shop.orders_daily;
  RETURN NULL;
END;
$tally$;

REVOKE ALL ON FUNCTION shop.tally_orders_daily_trunc() FROM PUBLIC;

-- ==== Statement-level triggers on the source (SHARE ROW EXCLUSIVE lock on it until COMMIT) ====

CREATE TRIGGER tally_100_orders_daily_ins
  AFTER INSERT ON shop.orders
  REFERENCING NEW TABLE AS _tally_new
  FOR EACH STATEMENT
  EXECUTE FUNCTION shop.tally_orders_daily_ins();

CREATE TRIGGER tally_100_orders_daily_upd
  AFTER UPDATE ON shop.orders
  REFERENCING OLD TABLE AS _tally_old NEW TABLE AS _tally_new
  FOR EACH STATEMENT
  EXECUTE FUNCTION shop.tally_orders_daily_upd();

CREATE TRIGGER tally_100_orders_daily_del
  AFTER DELETE ON shop.orders
  REFERENCING OLD TABLE AS _tally_old
  FOR EACH STATEMENT
  EXECUTE FUNCTION shop.tally_orders_daily_del();

CREATE TRIGGER tally_100_orders_daily_trunc
  AFTER TRUNCATE ON shop.orders
  FOR EACH STATEMENT
  EXECUTE FUNCTION shop.tally_orders_daily_trunc();

-- ######## populate
-- ==== Populate from the source (optional; same transaction, after the triggers) ====

-- lets this transaction write the summary
SET LOCAL tally.maintenance = 'orders_daily';

INSERT INTO shop.orders_daily (region, day, channel, orders, paid_orders, with_qty, units, first_order, biggest, all_paid, any_paid, customers, tags, _tally_rows, _tally_sum_revenue, _tally_nn_revenue, _tally_nan_revenue, _tally_pinf_revenue, _tally_ninf_revenue, _tally_nn_units, _tally_sum_avg_amount, _tally_nn_avg_amount, _tally_nan_avg_amount, _tally_pinf_avg_amount, _tally_ninf_avg_amount, _tally_sum_avg_qty, _tally_nn_avg_qty, _tally_sum_avg_weight, _tally_nn_avg_weight, _tally_nan_avg_weight, _tally_pinf_avg_weight, _tally_ninf_avg_weight)
SELECT
  region,
  placed_at::date AS day,
  data ->> 'channel' AS channel,
  count(*) AS orders,
  count(*) FILTER (WHERE paid) AS paid_orders,
  count(qty) AS with_qty,
  sum(qty) AS units,
  min(placed_at) AS first_order,
  max(amount) FILTER (WHERE qty > 0) AS biggest,
  bool_and(paid) AS all_paid,
  bool_or(paid) AS any_paid,
  count(DISTINCT customer_id) AS customers,
  array_agg(tag ORDER BY placed_at DESC, id) AS tags,
  count(*) AS _tally_rows,
  sum(amount) FILTER (WHERE (paid) AND ((amount) NOT IN ('NaN', 'Infinity', '-Infinity'))) AS _tally_sum_revenue,
  count(amount) FILTER (WHERE paid) AS _tally_nn_revenue,
  count(*) FILTER (WHERE (paid) AND ((amount) = 'NaN')) AS _tally_nan_revenue,
  count(*) FILTER (WHERE (paid) AND ((amount) = 'Infinity')) AS _tally_pinf_revenue,
  count(*) FILTER (WHERE (paid) AND ((amount) = '-Infinity')) AS _tally_ninf_revenue,
  count(qty) AS _tally_nn_units,
  sum(amount) FILTER (WHERE (amount) NOT IN ('NaN', 'Infinity', '-Infinity')) AS _tally_sum_avg_amount,
  count(amount) AS _tally_nn_avg_amount,
  count(*) FILTER (WHERE (amount) = 'NaN') AS _tally_nan_avg_amount,
  count(*) FILTER (WHERE (amount) = 'Infinity') AS _tally_pinf_avg_amount,
  count(*) FILTER (WHERE (amount) = '-Infinity') AS _tally_ninf_avg_amount,
  sum(qty) AS _tally_sum_avg_qty,
  count(qty) AS _tally_nn_avg_qty,
  sum(weight) FILTER (WHERE (weight) NOT IN ('NaN', 'Infinity', '-Infinity')) AS _tally_sum_avg_weight,
  count(weight) AS _tally_nn_avg_weight,
  count(*) FILTER (WHERE (weight) = 'NaN') AS _tally_nan_avg_weight,
  count(*) FILTER (WHERE (weight) = 'Infinity') AS _tally_pinf_avg_weight,
  count(*) FILTER (WHERE (weight) = '-Infinity') AS _tally_ninf_avg_weight
FROM shop.orders
WHERE deleted_at IS NULL AND (data ->> 'status') <> 'draft'
GROUP BY 1, 2, 3;

-- ######## uninstall
-- Removes Tally summary "orders_daily": triggers first (maintenance stops), then the table and functions.
DROP TRIGGER IF EXISTS tally_100_orders_daily_ins ON shop.orders;
DROP TRIGGER IF EXISTS tally_100_orders_daily_upd ON shop.orders;
DROP TRIGGER IF EXISTS tally_100_orders_daily_del ON shop.orders;
DROP TRIGGER IF EXISTS tally_100_orders_daily_trunc ON shop.orders;
DROP TABLE IF EXISTS shop.orders_daily;
DROP FUNCTION IF EXISTS shop.tally_orders_daily_guard();
DROP FUNCTION IF EXISTS shop.tally_orders_daily_ins();
DROP FUNCTION IF EXISTS shop.tally_orders_daily_upd();
DROP FUNCTION IF EXISTS shop.tally_orders_daily_del();
DROP FUNCTION IF EXISTS shop.tally_orders_daily_trunc();
-- created by Tally for the recompute lookups
DROP INDEX IF EXISTS shop.tally_orders_daily_src;
