/**
 * The group-lock protocol (DESIGN.md § Maintenance, "Locks are a shared resource"). The
 * triggers, the backfill and the repair step must all follow it, so it lives in one place.
 *
 * - A group's lock is `pg_advisory_xact_lock(lock_class, slot)` where
 *   `slot = hash_record(ROW(k1, k2, …)) & (LOCK_SLOTS - 1)`. hash_record hashes the binary
 *   datums (independent of DateStyle, TimeZone, …) and exists since PostgreSQL 14.
 * - A statement takes its distinct slots in ascending order, after taking the summary-wide key
 *   `(lock_class, SUMMARY_WIDE_SLOT)` in SHARED mode. A statement touching more than
 *   WIDE_LOCK_THRESHOLD slots takes that key in EXCLUSIVE mode instead and no slot locks, so a
 *   bulk statement holds one lock-table entry, not a thousand.
 * Wide key first, then slots ascending: two single-statement transactions cannot deadlock.
 */
export const LOCK_SLOTS = 1024;
export const WIDE_LOCK_THRESHOLD = 64;
export const SUMMARY_WIDE_SLOT = -1;

/** The slot of the group whose key values are the SQL expressions `keys` (in key order). */
export function slotSql(keys: readonly string[]): string {
  return `pg_catalog.hash_record(ROW(${keys.join(', ')})) & ${LOCK_SLOTS - 1}`;
}

/**
 * PL/pgSQL statements that lock the slots in the int[] variable `slotsVar` (sorted, distinct),
 * indented by `indent`. Shared with backfill and repair, which lock batches of keys the same way.
 */
export function lockSlotsPlpgsql(lockClass: number, slotsVar: string, indent = ''): string {
  const perSlot = [
    `PERFORM pg_catalog.pg_advisory_xact_lock_shared(${lockClass}, ${SUMMARY_WIDE_SLOT}), pg_catalog.pg_advisory_xact_lock(${lockClass}, slot)`,
    `FROM pg_catalog.unnest(${slotsVar}) AS slot;`,
  ];
  // two nested IFs: the outer test stays a simple expression (no subquery to plan and start
  // for every single-row statement)
  return [
    `IF pg_catalog.cardinality(${slotsVar}) > ${WIDE_LOCK_THRESHOLD} THEN`,
    `  IF NOT ${holdsWideSharedSql(lockClass)} THEN`,
    `    -- many groups: one summary-wide exclusive lock instead of one lock per slot (not when this`,
    `    -- transaction already holds it shared: upgrading would deadlock with another such transaction)`,
    `    PERFORM pg_catalog.pg_advisory_xact_lock(${lockClass}, ${SUMMARY_WIDE_SLOT});`,
    `  ELSE`,
    ...perSlot.map((l) => `    ${l}`),
    `  END IF;`,
    `ELSE`,
    `  -- the wide key in shared mode (re-taking a held lock is free), then each slot, in array order`,
    ...perSlot.map((l) => `  ${l}`),
    `END IF;`,
  ]
    .map((l) => indent + l)
    .join('\n');
}

/**
 * True when this transaction already holds the summary-wide key in SHARED mode (from an earlier
 * small statement). Two-int advisory keys appear in pg_locks as classid = key1, objid = key2
 * (both as unsigned oids), objsubid = 2.
 */
export function holdsWideSharedSql(lockClass: number): string {
  return (
    `EXISTS (SELECT 1 FROM pg_catalog.pg_locks AS l WHERE l.locktype = 'advisory'` +
    ` AND l.pid = pg_catalog.pg_backend_pid() AND l.classid = ${lockClass >>> 0}` +
    ` AND l.objid = ${SUMMARY_WIDE_SLOT >>> 0} AND l.objsubid = 2 AND l.mode = 'ShareLock')`
  );
}

/** The summary-wide exclusive lock (TRUNCATE, summaries without GROUP BY). */
export function wideLockSql(lockClass: number): string {
  return `pg_catalog.pg_advisory_xact_lock(${lockClass}, ${SUMMARY_WIDE_SLOT})`;
}
