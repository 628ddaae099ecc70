import { qualify } from '../db/ident';
import { renderDefiningQuery } from '../definition/defining-query';
import { buildInstallPlan } from './build-plan';
import { LOCK_SLOTS, WIDE_LOCK_THRESHOLD } from './locks';
import type { PlanNode, SectionId } from './plan';
import { commentLines } from './render/format';
import { renderNode } from './render/render-node';
import type { ResolvedDefinition } from './resolved-definition';
import { summaryModel, type SummaryModel } from './summary-model';

/**
 * definition → plan → SQL text. Pure and deterministic given a ResolvedDefinition: the same
 * input always yields byte-identical SQL (golden-tested in test/golden/).
 */
export interface GeneratedSection {
  readonly id: SectionId;
  readonly title: string;
  readonly phase: 'concurrent' | 'install' | 'populate';
  readonly statements: string[];
}

export interface GeneratedObject {
  readonly kind: 'table' | 'index' | 'function' | 'trigger';
  readonly schema: string;
  readonly name: string;
  /** the table an index or trigger belongs to, qualified and quoted */
  readonly on?: string;
}

export interface GeneratedSql {
  readonly definingQuery: string;
  readonly sections: GeneratedSection[];
  /** everything that runs in the install transaction, as one script */
  readonly install: string;
  /** CREATE INDEX CONCURRENTLY statements: run outside a transaction, before install */
  readonly concurrentIndexes: string[];
  /** optional, in the install transaction after `install`: fill the summary in one statement */
  readonly populate: string;
  readonly uninstall: string;
  readonly warnings: { code: string; message: string }[];
  readonly objects: GeneratedObject[];
  readonly lockClass: number;
}

function header(m: SummaryModel, definingQuery: string): string {
  const src = qualify(m.r.source.schema, m.r.source.table);
  const tgt = qualify(m.r.target.schema, m.r.target.table);
  return commentLines([
    `Tally summary "${m.r.name}": ${tgt}, kept exact by statement-level triggers on ${src}.`,
    '',
    'Defining query (the visible columns of the summary table always equal its result):',
    ...definingQuery.split('\n').map((l) => `  ${l}`),
    '',
    `Run in one transaction with a short lock_timeout: CREATE TRIGGER takes a SHARE ROW EXCLUSIVE`,
    `lock on ${src} (its writers wait) until COMMIT.`,
    `Grants expected: the installing role owns ${tgt} and the functions below, and has SELECT`,
    `and TRIGGER on ${src}. The maintenance functions are SECURITY DEFINER with a pinned`,
    `search_path, so writers of ${src} need no privilege on the summary; readers need only`,
    `  GRANT SELECT ON ${tgt} TO <reader>;`,
    `Group locks: pg_advisory_xact_lock(${m.lockClass}, slot), slot = hash_record(ROW(keys)) & ${LOCK_SLOTS - 1};`,
    `a statement touching more than ${WIDE_LOCK_THRESHOLD} slots takes (${m.lockClass}, -1) exclusively instead.`,
  ]);
}

function objectsOf(nodes: readonly PlanNode[]): GeneratedObject[] {
  const out: GeneratedObject[] = [];
  for (const n of nodes) {
    if (n.kind === 'createTable') out.push({ kind: 'table', schema: n.table.schema, name: n.table.table });
    if (n.kind === 'createIndex')
      out.push({ kind: 'index', schema: n.table.schema, name: n.name, on: qualify(n.table.schema, n.table.table) });
    if (n.kind === 'createFunction') out.push({ kind: 'function', schema: n.schema, name: n.name });
    if (n.kind === 'createTrigger')
      out.push({ kind: 'trigger', schema: n.table.schema, name: n.name, on: qualify(n.table.schema, n.table.table) });
  }
  return out;
}

export function generateSql(r: ResolvedDefinition): GeneratedSql {
  const m = summaryModel(r);
  const plan = buildInstallPlan(m);
  const definingQuery = renderDefiningQuery(r);
  const sections: GeneratedSection[] = plan.sections.map((s) => ({
    id: s.id,
    title: s.title,
    phase: s.phase,
    statements: s.nodes.map((n) => renderNode(n, m)),
  }));
  const script = (phase: GeneratedSection['phase']) =>
    sections
      .filter((s) => s.phase === phase)
      .map((s) => `${commentLines(`==== ${s.title} ====`)}\n${s.statements.join('\n\n')}\n`)
      .join('\n');
  const uninstallStatements = plan.uninstall.map((n) => renderNode(n, m));
  return {
    definingQuery,
    sections,
    install: `${header(m, definingQuery)}\n${script('install')}`,
    concurrentIndexes: sections.filter((s) => s.phase === 'concurrent').flatMap((s) => s.statements),
    populate: script('populate'),
    uninstall:
      commentLines(`Removes Tally summary "${r.name}": triggers first (maintenance stops), then the table and functions.`) +
      uninstallStatements.join('\n') +
      '\n',
    warnings: [...plan.warnings],
    objects: objectsOf(plan.sections.flatMap((s) => s.nodes)),
    lockClass: m.lockClass,
  };
}
