import type pg from 'pg';
import { qualify } from '../db/ident';
import { exec, type Queryable } from '../db/pool';
import { targetOf, type Definition } from '../definition/definition';
import { parseDefiningQuery } from '../definition/parse-sql';
import { validateDefinition } from '../definition/validate-definition';
import { DefinitionError, NotFoundError, type FieldIssue } from '../errors';
import { generateSql, type GeneratedSql } from '../sqlgen/generate';
import type { ResolvedDefinition } from '../sqlgen/resolved-definition';
import { DEFAULT_LOCK_TIMEOUT_MS } from './create-summary';
import { estimateGroups } from './estimate-groups';
import { installRecordOf } from './install-record';
import { resolveForRebuild } from './rebuild-summary';
import { getSummary, type SummaryRecord } from './registry';
import { resolveDefinition } from './resolve';
import type { LockInfo, PreviewRequest, PreviewResult } from './summary-views';

/**
 * What the console shows while a summary is being defined: parse (pasted SQL) or validate (the
 * form's definition), check it against the live database, generate the SQL, and say which
 * locks applying it takes and how big it will be. Nothing is executed: resolve runs in a
 * transaction that is rolled back, the estimate only reads statistics and EXPLAINs.
 *
 * Bad input is the expected answer while someone types, so it is a result (`ok: false` with
 * field issues), not an exception; database failures still throw.
 */
export async function previewSummary(pool: pg.Pool, req: PreviewRequest): Promise<PreviewResult> {
  try {
    const d =
      req.mode === 'sql'
        ? await parseDefiningQuery(req.sql, {
            name: req.name,
            ...(req.targetSchema ? { targetSchema: req.targetSchema } : {}),
          })
        : validateDefinition(req.definition);

    let old: SummaryRecord | undefined;
    if (req.replacing !== undefined) {
      old = await getSummary(pool, req.replacing).catch((e: unknown) => {
        if (e instanceof NotFoundError) throw DefinitionError.single('name', e.message);
        throw e;
      });
      if (d.name !== old.name)
        throw DefinitionError.single('name', `an edit keeps the name "${old.name}"`, {
          hint: 'to use another name, create a new summary and drop this one',
        });
    } else {
      const taken = await nameIssues(pool, d);
      if (taken.length) throw new DefinitionError(taken);
    }

    const resolved = old ? await resolveForRebuild(pool, old, d) : await resolveDefinition(pool, d);
    const g = generateSql(resolved);
    const lockTimeoutMs = req.lockTimeoutMs ?? DEFAULT_LOCK_TIMEOUT_MS;
    return {
      ok: true,
      definition: d,
      definingQuery: g.definingQuery,
      sections: g.sections.map((s) => ({ ...s, statements: [...s.statements] })),
      install: g.install,
      concurrentIndexes: concurrentIndexes(resolved, g),
      populate: g.populate,
      uninstall: g.uninstall,
      installRecord: installRecordOf(g),
      warnings: g.warnings.map((w) => ({ ...w })),
      locks: locksOf(resolved, g, lockTimeoutMs, old),
      lockTimeoutMs,
      estimate: await estimateGroups(pool, resolved, g.definingQuery),
    };
  } catch (e) {
    if (e instanceof DefinitionError) return { ok: false, issues: e.issues.map(plainIssue) };
    throw e;
  }
}

function plainIssue(i: FieldIssue) {
  return {
    field: i.field,
    message: i.message,
    ...(i.position !== undefined ? { position: i.position } : {}),
    ...(i.hint !== undefined ? { hint: i.hint } : {}),
  };
}

/**
 * "Name already taken", checked before anything is generated: a summary of that name, or any
 * relation where the summary table would go. createSummary checks the same again (and a
 * unique constraint settles a race).
 */
export async function nameIssues(db: Queryable, d: Definition): Promise<FieldIssue[]> {
  const t = targetOf(d);
  const { rows } = await exec<{ summary: boolean; relation: boolean }>(
    db,
    `SELECT EXISTS (SELECT 1 FROM tally.summaries WHERE name = $1) AS summary,
            EXISTS (SELECT 1 FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
                     WHERE n.nspname = $2 AND c.relname = $3) AS relation`,
    [d.name, t.schema, t.table],
  );
  const r = rows[0]!;
  if (r.summary) return [{ field: 'name', message: `a summary named "${d.name}" already exists` }];
  if (r.relation)
    return [
      {
        field: d.target.table ? 'target.table' : 'name',
        message: `${qualify(t.schema, t.table)} already exists`,
        ...(d.target.table ? {} : { hint: 'choose another name, or set the summary table' }),
      },
    ];
  return [];
}

/** Each CREATE INDEX CONCURRENTLY with its undo (the plan lists their objects in the same order). */
function concurrentIndexes(r: ResolvedDefinition, g: GeneratedSql) {
  const src = qualify(r.source.schema, r.source.table);
  const objects = g.objects.filter((o) => o.kind === 'index' && o.on === src);
  return g.concurrentIndexes.map((create, i) => {
    const o = objects[i];
    return {
      create,
      drop: o ? `DROP INDEX CONCURRENTLY IF EXISTS ${qualify(o.schema, o.name)}` : '',
    };
  });
}

/** The locks applying (or rebuilding) takes, in the order it takes them. */
export function locksOf(
  r: ResolvedDefinition,
  g: GeneratedSql,
  lockTimeoutMs: number,
  replacing?: SummaryRecord,
): LockInfo[] {
  const src = qualify(r.source.schema, r.source.table);
  const wait = `the apply waits at most lock_timeout = ${lockTimeoutMs} ms for it, then fails and rolls back`;
  const locks: LockInfo[] = [];
  if (g.concurrentIndexes.length)
    locks.push({
      table: src,
      mode: 'SHARE UPDATE EXCLUSIVE',
      by: 'CREATE INDEX CONCURRENTLY (before the transaction)',
      effect: `reads and writes of ${src} continue; VACUUM and other DDL on it wait while the index builds`,
      phase: 'concurrent',
    });
  if (replacing) {
    const oldSrc = qualify(replacing.sourceSchema, replacing.sourceTable);
    locks.push(
      {
        table: oldSrc,
        mode: 'ACCESS EXCLUSIVE',
        by: "DROP TRIGGER (the old version's triggers)",
        effect: `reads and writes of ${oldSrc} wait until COMMIT; ${wait}`,
        phase: 'install',
      },
      {
        table: qualify(replacing.targetSchema, replacing.targetTable),
        mode: 'ACCESS EXCLUSIVE',
        by: 'DROP TABLE (the old summary table)',
        effect: 'readers of the summary wait until COMMIT',
        phase: 'install',
      },
    );
  }
  locks.push({
    table: src,
    mode: 'SHARE ROW EXCLUSIVE',
    by: 'CREATE TRIGGER',
    effect: `INSERT, UPDATE and DELETE on ${src} wait until COMMIT (reads continue); ${wait}`,
    phase: 'install',
  });
  return locks;
}
