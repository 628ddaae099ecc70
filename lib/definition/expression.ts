import { loadModule, parseSync } from 'libpg-query';
import { deparse } from 'pgsql-deparser';
import { DefinitionError } from '../errors';

/**
 * User-typed SQL fragments (filters, group-key and aggregate expressions) go through the real
 * PostgreSQL parser and are accepted only as one plain scalar expression: no subqueries, no
 * window functions, no aggregates, no parameters, no second statement. What comes out is
 * re-printed from the parse tree, so it can be embedded in generated SQL safely.
 */

let loading: Promise<void> | undefined;
/** libpg-query is WASM: load it once before parsing. */
export function ensureParser(): Promise<void> {
  return (loading ??= loadModule());
}

export interface ColumnReference {
  /** table alias or name before the column, when written */
  readonly qualifier?: string;
  readonly column: string;
}

export interface ParsedExpression {
  /** normalized SQL text, re-printed from the parse tree */
  readonly sql: string;
  readonly columns: readonly ColumnReference[];
  /** the raw parse tree node */
  readonly node: unknown;
}

/** Names that are aggregates when called as functions. */
const AGGREGATES = new Set([
  'sum', 'count', 'avg', 'min', 'max', 'array_agg', 'string_agg', 'bool_and', 'bool_or', 'every',
  'json_agg', 'jsonb_agg', 'json_object_agg', 'jsonb_object_agg', 'bit_and', 'bit_or', 'bit_xor',
  'stddev', 'stddev_pop', 'stddev_samp', 'variance', 'var_pop', 'var_samp', 'corr', 'covar_pop',
  'covar_samp', 'percentile_cont', 'percentile_disc', 'mode', 'xmlagg', 'range_agg', 'any_value',
]);

/** Functions whose result changes between calls or sessions; PostgreSQL's check catches the rest. */
const VOLATILE_HINTS: Record<string, string> = {
  now: 'now() changes with every transaction; a summary must not depend on the time it was computed',
  random: 'random() is volatile',
  clock_timestamp: 'clock_timestamp() is volatile',
  statement_timestamp: 'statement_timestamp() changes with every statement',
  transaction_timestamp: 'transaction_timestamp() changes with every transaction',
  timeofday: 'timeofday() is volatile',
  nextval: 'nextval() is volatile',
  gen_random_uuid: 'gen_random_uuid() is volatile',
};

type Node = Record<string, unknown>;

function fail(field: string, message: string, position?: number, hint?: string): never {
  throw DefinitionError.single(field, message, { position, hint });
}

const PREFIX = 'SELECT ';

/** Walks every node of a parse tree, depth first. */
export function walk(node: unknown, visit: (type: string, body: Node) => void): void {
  if (Array.isArray(node)) {
    for (const n of node) walk(n, visit);
    return;
  }
  if (node === null || typeof node !== 'object') return;
  for (const [key, value] of Object.entries(node as Node)) {
    if (/^[A-Z]/.test(key) && value && typeof value === 'object' && !Array.isArray(value)) {
      visit(key, value as Node);
    }
    walk(value, visit);
  }
}

function location(body: Node): number | undefined {
  return typeof body.location === 'number' ? body.location - PREFIX.length + 1 : undefined;
}

function funcName(body: Node): string {
  const parts = (body.funcname as { String?: { sval: string } }[] | undefined) ?? [];
  return parts.map((p) => p.String?.sval ?? '').join('.');
}

/**
 * Refuses the constructs a maintained summary cannot contain, naming the construct and why.
 * `field` is where the text came from (e.g. "filter" or "groupBy.1.expr").
 */
export function checkScalarExpression(node: unknown, field: string): void {
  walk(node, (type, body) => {
    const pos = location(body);
    switch (type) {
      case 'SubLink':
        fail(field, 'subqueries are not supported: the triggers could not tell which groups a change to the subquery affects', pos);
      case 'ParamRef':
        fail(field, 'parameters ($1) are not allowed: a summary has one fixed definition', pos);
      case 'GroupingFunc':
        fail(field, 'GROUPING() is not supported', pos);
      case 'SQLValueFunction': {
        const op = String(body.op ?? '');
        fail(
          field,
          `${op.replace(/^SVFOP_/, '').toLowerCase()} is not immutable: it changes with the time or session, so stored results would go stale`,
          pos,
          'compare against a fixed value, or keep the time filter in the query that reads the summary',
        );
      }
      case 'FuncCall': {
        const name = funcName(body).replace(/^pg_catalog\./, '');
        if (body.over)
          fail(field, `window function ${name}() OVER (…) is not supported: a window result depends on other rows, not just the group's`, pos, 'cache a view that computes it instead (view cache)');
        if (AGGREGATES.has(name) || body.agg_star || body.agg_distinct || body.agg_filter || body.agg_order)
          fail(field, `aggregate ${name}() is not allowed inside an expression here`, pos);
        const hint = VOLATILE_HINTS[name];
        if (hint) fail(field, `${name}() cannot be used: ${hint}`, pos);
        return;
      }
      case 'ColumnRef': {
        const fields = (body.fields as Node[]) ?? [];
        if (fields.some((f) => 'A_Star' in f)) fail(field, '* is not allowed in an expression', pos);
        return;
      }
      default:
        return;
    }
  });
}

/** The column references in a parse tree. */
export function columnsOf(node: unknown): ColumnReference[] {
  const out: ColumnReference[] = [];
  walk(node, (type, body) => {
    if (type !== 'ColumnRef') return;
    const names = ((body.fields as { String?: { sval: string } }[]) ?? []).map((f) => f.String?.sval ?? '');
    const column = names[names.length - 1] ?? '';
    const qualifier = names.length > 1 ? names[names.length - 2] : undefined;
    out.push(qualifier ? { qualifier, column } : { column });
  });
  return out;
}

/** Rewrites every qualified column reference to the bare column name (single-table definitions). */
export function stripQualifiers(node: unknown): unknown {
  const copy = structuredClone(node);
  walk(copy, (type, body) => {
    if (type !== 'ColumnRef') return;
    const fields = body.fields as unknown[];
    if (fields.length > 1) body.fields = [fields[fields.length - 1]];
  });
  return copy;
}

export async function deparseExpression(node: unknown): Promise<string> {
  return (await deparse(node as never, { pretty: false })).trim();
}

/**
 * Parses `text` as a single scalar expression. Errors name `field` and point at the character.
 */
export async function parseExpression(
  text: string,
  field: string,
  opts: { stripQualifiers?: boolean } = {},
): Promise<ParsedExpression> {
  await ensureParser();
  let tree: { stmts?: { stmt: Node }[] };
  try {
    tree = parseSync(PREFIX + text) as typeof tree;
  } catch (e) {
    const err = e as { message: string; sqlDetails?: { cursorPosition?: number } };
    const cursor = err.sqlDetails?.cursorPosition;
    fail(field, `syntax error: ${err.message}`, cursor !== undefined ? Math.max(1, cursor - PREFIX.length + 1) : undefined);
  }
  const stmts = tree.stmts ?? [];
  if (stmts.length !== 1) fail(field, 'must be a single expression, not several statements');
  const select = stmts[0]!.stmt.SelectStmt as Node | undefined;
  const extra = select
    ? Object.keys(select).filter((k) => !['targetList', 'limitOption', 'op'].includes(k))
    : ['statement'];
  const targets = (select?.targetList as { ResTarget: Node }[] | undefined) ?? [];
  if (!select || extra.length > 0 || targets.length !== 1 || targets[0]!.ResTarget.name) {
    fail(field, 'must be a single expression (no commas, FROM, aliases or clauses)');
  }
  let node = targets[0]!.ResTarget.val;
  checkScalarExpression(node, field);
  if (opts.stripQualifiers) node = stripQualifiers(node);
  return { sql: await deparseExpression(node), columns: columnsOf(node), node };
}
