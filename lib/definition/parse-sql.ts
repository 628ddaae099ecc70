import {
  parseSync,
  scanSync,
  type FuncCall,
  type Node,
  type ParseResult,
  type RangeVar,
  type SelectStmt,
  type SortBy,
} from 'libpg-query';
import type { AggregateFunction, Definition, DefinitionInput } from './definition';
import { HIDDEN_PREFIX } from './definition';
import {
  checkScalarExpression,
  columnsOf,
  deparseExpression,
  ensureParser,
  stripQualifiers,
  walk,
} from './expression';
import { outputColumnName } from './output-name';
import { validateDefinition } from './validate-definition';
import { DefinitionError, type FieldIssue } from '../errors';

/**
 * A pasted defining query (`SELECT … FROM one_table [WHERE …] [GROUP BY …]`) → the summary
 * definition, with PostgreSQL's own parser. Everything the triggers cannot keep exact is
 * refused on field `sql`, naming the construct, why, and its 1-based character position.
 * What is accepted is re-printed from the parse tree, so no raw user text survives.
 * Immutability, column existence and types are checked later against the database (resolve).
 */
export interface ParseSqlOptions {
  readonly name: string;
  readonly targetSchema?: string;
}

export async function parseDefiningQuery(sql: string, opts: ParseSqlOptions): Promise<Definition> {
  await ensureParser();
  return new DefiningQueryParser(sql).toDefinition(opts);
}

const FIELD = 'sql';
/** expression.ts parses fragments as `SELECT <fragment>`; its positions count from there. */
const EXPRESSION_PREFIX_BYTES = 'SELECT '.length;

const SUPPORTED = new Set('count sum avg min max bool_and bool_or array_agg every'.split(' '));
const SUPPORTED_LIST =
  'count(*), count(x), count(DISTINCT x), sum, avg, min, max, bool_and, bool_or and array_agg';

/** Built-in aggregate names, so that calls to them are recognised even without aggregate syntax. */
const KNOWN_AGGREGATES = new Set([
  ...SUPPORTED,
  ...(
    'string_agg json_agg jsonb_agg json_object_agg jsonb_object_agg json_agg_strict jsonb_agg_strict ' +
    'json_object_agg_strict jsonb_object_agg_strict json_object_agg_unique jsonb_object_agg_unique ' +
    'json_object_agg_unique_strict jsonb_object_agg_unique_strict bit_and bit_or bit_xor stddev ' +
    'stddev_pop stddev_samp variance var_pop var_samp corr covar_pop covar_samp regr_avgx regr_avgy ' +
    'regr_count regr_intercept regr_r2 regr_slope regr_sxx regr_sxy regr_syy percentile_cont ' +
    'percentile_disc mode xmlagg range_agg range_intersect_agg any_value'
  ).split(' '),
]);

const UNSUPPORTED_HINTS: Record<string, string> = {
  string_agg: "use array_agg(x ORDER BY …) and array_to_string(…, ', ') when reading the summary",
  json_agg: 'use array_agg(x ORDER BY …) and to_json(…) when reading the summary',
  jsonb_agg: 'use array_agg(x ORDER BY …) and to_jsonb(…) when reading the summary',
  stddev: 'keep sum(x), sum(x * x) and count(x) and compute the deviation when reading the summary',
  variance:
    'keep sum(x), sum(x * x) and count(x) and compute the variance when reading the summary',
};

/** One scanner token, with how deep in parentheses/brackets it sits. */
interface Token {
  readonly start: number;
  readonly word: string;
  readonly keyword: boolean;
  readonly depth: number;
}

/** A select item and what it turned out to be. */
interface Item {
  readonly index: number;
  /** the expression, qualifiers stripped */
  readonly node: Node;
  /** byte offset where the item starts */
  readonly location: number | undefined;
  readonly name: string | undefined;
  readonly aggregate?: FuncCall;
  grouped: boolean;
}

interface Source {
  readonly schema: string;
  readonly table: string;
  /** what column qualifiers must say: the alias, else the table name */
  readonly refName: string;
  readonly aliased: boolean;
}

function funcParts(fc: FuncCall): string[] {
  return (fc.funcname ?? []).map((n) => ('String' in n ? (n.String.sval ?? '') : ''));
}

function baseName(fc: FuncCall): string {
  const parts = funcParts(fc);
  return parts[parts.length - 1] ?? '';
}

/** A call written as an aggregate: a known aggregate name or aggregate-only syntax. */
function isAggregateCall(fc: FuncCall): boolean {
  const parts = funcParts(fc);
  const builtin = parts.length === 1 || (parts.length === 2 && parts[0] === 'pg_catalog');
  return (
    (builtin && KNOWN_AGGREGATES.has(baseName(fc))) ||
    !!(
      fc.agg_star ||
      fc.agg_distinct ||
      fc.agg_filter ||
      fc.agg_order?.length ||
      fc.agg_within_group
    )
  );
}

/** A parse tree without positions, for comparing a GROUP BY expression with a select item. */
function shape(node: unknown): string {
  return JSON.stringify(node, (key, value: unknown) =>
    key === 'location' || key === 'list_start' || key === 'list_end' ? undefined : value,
  );
}

function minLocation(node: unknown): number | undefined {
  let min: number | undefined;
  walk(node, (_type, body) => {
    const loc = body.location;
    if (typeof loc === 'number' && loc >= 0 && (min === undefined || loc < min)) min = loc;
  });
  return min;
}

function columnName(node: Node): string | undefined {
  if (!('ColumnRef' in node)) return undefined;
  const fields = node.ColumnRef.fields ?? [];
  const f = fields[0];
  return fields.length === 1 && f && 'String' in f ? f.String.sval : undefined;
}

class DefiningQueryParser {
  private readonly bytes: Buffer;
  private readonly issues: FieldIssue[] = [];
  private tokensCache: Token[] | undefined;

  constructor(private readonly sql: string) {
    this.bytes = Buffer.from(sql, 'utf8');
  }

  async toDefinition(opts: ParseSqlOptions): Promise<Definition> {
    const stmt = this.statement();
    this.clauses(stmt);
    const source = this.source(stmt);
    this.flush();

    this.qualifiers(stmt, source);
    this.flush();

    const items = this.items(stmt);
    this.flush();
    this.groupBy(stmt, items);
    this.ungrouped(items);
    const filter = stmt.whereClause ? this.scalar(stmt.whereClause, 'WHERE') : undefined;
    this.names(items);
    if (!items.some((i) => i.aggregate) && this.issues.length === 0) {
      this.refuse(
        'a summary needs at least one aggregate: add count(*), sum(…) or another supported aggregate to the select list',
        this.keyword(['SELECT']),
      );
    }
    this.flush();

    const input: DefinitionInput = {
      shape: 'aggregate',
      name: opts.name,
      target: opts.targetSchema ? { schema: opts.targetSchema } : {},
      source: { schema: source.schema, table: source.table },
      ...(filter ? { filter: await deparseExpression(stripQualifiers(filter)) } : {}),
      groupBy: await Promise.all(items.filter((i) => !i.aggregate).map((i) => this.key(i))),
      aggregates: await Promise.all(items.filter((i) => i.aggregate).map((i) => this.aggregate(i))),
    };
    return validateDefinition(input);
  }

  // ---- positions ---------------------------------------------------------------------------

  /** libpg_query locations are 0-based byte offsets; users get 1-based characters. */
  private position(location: number | undefined): number | undefined {
    if (location === undefined || location < 0) return undefined;
    return [...this.bytes.subarray(0, location).toString('utf8')].length + 1;
  }

  private get tokens(): Token[] {
    if (!this.tokensCache) {
      let depth = 0;
      this.tokensCache = scanSync(this.sql).tokens.map((t) => {
        if (t.text === ')' || t.text === ']') depth = Math.max(0, depth - 1);
        const token = {
          start: t.start,
          word: t.text.toUpperCase(),
          keyword: t.keywordKind !== 0,
          depth,
        };
        if (t.text === '(' || t.text === '[') depth++;
        return token;
      });
    }
    return this.tokensCache;
  }

  /**
   * Where a keyword is written, for clauses the parse tree keeps no location for: the first
   * one outside parentheses at or after `from`, else the first at any depth.
   */
  private keyword(words: readonly string[], from = 0): number | undefined {
    const hits = this.tokens.filter((t) => t.keyword && t.start >= from && words.includes(t.word));
    return (hits.find((t) => t.depth === 0) ?? hits[0])?.start;
  }

  /** The first keyword at or after `from` at any depth, e.g. DISTINCT inside `sum(DISTINCT x)`. */
  private keywordAfter(word: string, from: number | undefined): number | undefined {
    return this.tokens.find((t) => t.keyword && t.start >= (from ?? 0) && t.word === word)?.start;
  }

  private refuse(message: string, location: number | undefined, hint?: string): void {
    const position = this.position(location);
    this.issues.push({
      field: FIELD,
      message,
      ...(position !== undefined ? { position } : {}),
      ...(hint ? { hint } : {}),
    });
  }

  private fail(message: string, location: number | undefined, hint?: string): never {
    this.refuse(message, location, hint);
    this.flush();
    throw new Error('unreachable');
  }

  private flush(): void {
    if (this.issues.length === 0) return;
    const sorted = [...this.issues].sort(
      (a, b) => (a.position ?? Number.MAX_SAFE_INTEGER) - (b.position ?? Number.MAX_SAFE_INTEGER),
    );
    throw new DefinitionError(sorted);
  }

  // ---- the statement -----------------------------------------------------------------------

  private statement(): SelectStmt {
    if (this.sql.trim() === '') this.fail('is empty: paste a SELECT … GROUP BY query', undefined);
    let tree: ParseResult;
    try {
      tree = parseSync(this.sql);
    } catch (e) {
      const err = e as { message: string; sqlDetails?: { cursorPosition?: number } };
      const cursor = err.sqlDetails?.cursorPosition;
      // the cursor is already in characters (0-based), unlike node locations
      const message = err.message.startsWith('syntax error')
        ? err.message
        : `syntax error: ${err.message}`;
      throw DefinitionError.single(FIELD, message, {
        ...(cursor !== undefined ? { position: cursor + 1 } : {}),
      });
    }
    const stmts = tree.stmts ?? [];
    if (stmts.length === 0) this.fail('is empty: paste a SELECT … GROUP BY query', undefined);
    if (stmts.length > 1) {
      this.fail(
        `must be one statement, not ${stmts.length}: a summary is defined by exactly one SELECT`,
        stmts[1]!.stmt_location ?? undefined,
      );
    }
    const raw = stmts[0]!;
    const stmt = raw.stmt ?? ({} as Node);
    const start = raw.stmt_location ?? 0;
    if (!('SelectStmt' in stmt)) {
      const word = this.tokens.find((t) => t.start >= start)?.word ?? 'this statement';
      this.fail(
        `${word} is not a query: a summary is defined by one SELECT … GROUP BY over a table`,
        start,
      );
    }
    const select = stmt.SelectStmt;
    if (select.withClause) {
      this.fail(
        'WITH (common table expressions) is not supported: the summary must read its source table directly, so the triggers know which rows feed which group',
        this.keyword(['WITH'], start),
        'put the logic of the CTE into the WHERE clause and the select list',
      );
    }
    if (select.op && select.op !== 'SETOP_NONE') {
      const word = select.op.replace('SETOP_', '');
      this.fail(
        `${word} is not supported: a summary maintains one query over one table`,
        this.keyword([word], start),
        'create one summary per branch and combine them when reading',
      );
    }
    if (select.valuesLists?.length) {
      this.fail(
        'VALUES is not a query over a table: a summary reads one source table',
        this.keyword(['VALUES'], start),
      );
    }
    return select;
  }

  /** Clauses that change what the result means in ways the triggers cannot follow. */
  private clauses(s: SelectStmt): void {
    if (s.distinctClause?.length) {
      const plain = s.distinctClause.length === 1 && Object.keys(s.distinctClause[0]!).length === 0;
      const at = this.keyword(['DISTINCT']);
      if (plain)
        this.refuse(
          'SELECT DISTINCT is not supported: a summary keeps one row per group of its GROUP BY keys',
          at,
          'remove DISTINCT and GROUP BY the same columns, with an aggregate such as count(*)',
        );
      else
        this.refuse(
          'SELECT DISTINCT ON (the latest row per group) is not supported yet: only the aggregate shape is',
          at,
          'for now, use max(…)/min(…) of the columns you need, grouped by the DISTINCT ON keys',
        );
    }
    if (s.intoClause) {
      this.refuse(
        'SELECT … INTO is not supported: Tally creates and names the summary table itself',
        this.keyword(['INTO']),
        'remove INTO …; choose the table with --name and --target-schema',
      );
    }
    if (s.havingClause) {
      this.refuse(
        'HAVING is not supported: a HAVING filter hides groups, and a group moving in and out of it cannot be maintained exactly by the triggers',
        this.keyword(['HAVING']),
        'remove HAVING and filter when reading the summary (SELECT … FROM summary WHERE …)',
      );
    }
    if (s.windowClause?.length) {
      this.refuse(
        'WINDOW is not supported: window functions depend on other rows, not just the group',
        this.keyword(['WINDOW']),
      );
    }
    if (s.sortClause?.length) {
      this.refuse(
        'ORDER BY is not supported: the summary holds all groups, unordered',
        this.keyword(['ORDER']),
        'remove ORDER BY and order when reading the summary',
      );
    }
    if (s.limitCount || s.limitOffset) {
      const words = s.limitCount ? ['LIMIT', 'FETCH'] : ['OFFSET'];
      const word =
        this.tokens.find((t) => t.keyword && t.depth === 0 && words.includes(t.word))?.word ??
        'LIMIT';
      this.refuse(
        `${word === 'FETCH' ? 'FETCH FIRST' : word} is not supported: the summary holds all groups`,
        this.keyword(words),
        `remove ${word === 'FETCH' ? 'FETCH FIRST' : word} and limit when reading the summary`,
      );
    }
    if (s.lockingClause?.length) {
      this.refuse(
        'FOR UPDATE/SHARE is not supported: a defining query only reads, it does not lock rows',
        this.keyword(['FOR']),
      );
    }
    for (const g of s.groupClause ?? []) {
      if ('GroupingSet' in g) {
        const kind = g.GroupingSet.kind ?? '';
        const word =
          kind === 'GROUPING_SET_ROLLUP'
            ? 'ROLLUP'
            : kind === 'GROUPING_SET_CUBE'
              ? 'CUBE'
              : 'GROUPING SETS';
        this.refuse(
          `${word} is not supported: a summary table holds one row per group of a single grouping`,
          g.GroupingSet.location,
          'create one summary per grouping (the coarser totals can be summed from the finer summary)',
        );
      }
    }
  }

  private source(s: SelectStmt): Source {
    const from = s.fromClause ?? [];
    if (from.length === 0) {
      this.fail(
        'has no FROM: a summary reads one source table (FROM schema.table)',
        this.keyword(['SELECT']),
      );
    }
    if (from.length > 1) {
      this.refuse(
        'a second table in FROM is a join: joins to dimension tables are coming; not supported yet',
        minLocation(from[1]),
        'a summary reads one table for now',
      );
    }
    const item = from[0]!;
    if ('JoinExpr' in item) {
      this.fail(
        'JOIN: joins to dimension tables are coming; not supported yet',
        this.keyword(['JOIN', 'NATURAL', 'CROSS', 'LEFT', 'RIGHT', 'FULL', 'INNER']),
        'a summary reads one table for now',
      );
    }
    if ('RangeSubselect' in item) {
      const at = minLocation(item.RangeSubselect.subquery);
      const paren = [...this.tokens]
        .reverse()
        .find((t) => t.word === '(' && at !== undefined && t.start < at);
      this.fail(
        'a subquery in FROM is not supported: the triggers watch one table, so the summary must read it directly',
        paren?.start ?? at,
      );
    }
    if ('RangeFunction' in item) {
      this.fail(
        'a function in FROM is not supported: the source must be a table',
        minLocation(item),
      );
    }
    if ('RangeTableSample' in item) {
      this.fail(
        'TABLESAMPLE is not supported: a summary covers every row',
        this.keyword(['TABLESAMPLE']),
      );
    }
    if (!('RangeVar' in item)) {
      this.fail('the source must be a table', minLocation(item));
    }
    const rv: RangeVar = item.RangeVar;
    if (rv.catalogname) {
      this.refuse(
        `a database name (${rv.catalogname}.) is not supported: name the table as schema.table`,
        rv.location,
      );
    }
    if (!rv.inh) {
      this.refuse(
        'FROM ONLY is not supported: a summary always reads the table the triggers are on, as FROM schema.table',
        this.keyword(['ONLY']),
      );
    }
    if (rv.alias?.colnames?.length) {
      this.refuse(
        'column aliases in FROM (t AS c(x, y)) are not supported: refer to the columns by name',
        rv.location,
      );
    }
    const table = rv.relname ?? '';
    const alias = rv.alias?.aliasname;
    return {
      schema: rv.schemaname ?? 'public',
      table,
      refName: alias ?? table,
      aliased: alias !== undefined,
    };
  }

  /** Every `q.column` must name the source table: a qualifier naming another table is an error. */
  private qualifiers(s: SelectStmt, src: Source): void {
    const check = (node: unknown) =>
      walk(node, (type, body) => {
        if (type !== 'ColumnRef') return;
        const names = ((body.fields as Node[] | undefined) ?? []).map((f) =>
          'String' in f ? (f.String.sval ?? '') : '*',
        );
        if (names.length <= 1) return;
        const qualifier = names.slice(0, -1);
        const ok =
          qualifier.length === 1
            ? qualifier[0] === src.refName
            : qualifier.length === 2 &&
              !src.aliased &&
              qualifier[0] === src.schema &&
              qualifier[1] === src.table;
        if (!ok) {
          const written = qualifier.join('.');
          this.refuse(
            `${written}.${names[names.length - 1]} refers to "${written}", which is not in FROM: the query reads only ${src.schema}.${src.table}${src.aliased ? ` (as ${src.refName})` : ''}`,
            body.location as number | undefined,
            'joins to dimension tables are coming; not supported yet',
          );
        }
      });
    check(s.targetList);
    check(s.whereClause);
    check(s.groupClause);
  }

  // ---- select items -------------------------------------------------------------------------

  private items(s: SelectStmt): Item[] {
    const targets = s.targetList ?? [];
    if (targets.length === 0) {
      this.refuse(
        'the select list is empty: list the group keys and the aggregates',
        this.keyword(['SELECT']),
      );
    }
    const items: Item[] = [];
    targets.forEach((t, index) => {
      if (!('ResTarget' in t) || !t.ResTarget.val) return;
      const val = t.ResTarget.val;
      const location = t.ResTarget.location;
      if ('ColumnRef' in val && (val.ColumnRef.fields ?? []).some((f) => 'A_Star' in f)) {
        this.refuse(
          'SELECT * is not supported: a summary lists its group keys and its aggregates',
          val.ColumnRef.location,
          'write the columns: SELECT key, count(*) … GROUP BY key',
        );
        return;
      }
      // the alias, else PostgreSQL's name for the expression
      const name = t.ResTarget.name ?? outputColumnName(val);
      const common = { index, location, name, grouped: false };
      if ('FuncCall' in val && isAggregateCall(val.FuncCall) && !val.FuncCall.over) {
        if (this.checkAggregate(val.FuncCall))
          items.push({ ...common, node: stripQualifiers(val) as Node, aggregate: val.FuncCall });
        return;
      }
      if (!this.noAggregateInside(val, location)) return;
      if (this.scalar(val, 'select') === undefined) return;
      items.push({ ...common, node: stripQualifiers(val) as Node });
    });
    return items;
  }

  /** An expression over aggregates (`sum(x) / count(*)`) is not a column the triggers can keep. */
  private noAggregateInside(val: Node, location: number | undefined): boolean {
    let inner: FuncCall | undefined;
    walk(val, (type, body) => {
      if (
        type === 'FuncCall' &&
        !inner &&
        !(body as FuncCall).over &&
        isAggregateCall(body as FuncCall)
      )
        inner = body as FuncCall;
    });
    if (!inner) return true;
    const name = baseName(inner);
    this.refuse(
      `an expression over aggregate ${name}() is not supported: each aggregate must be a select item of its own`,
      location,
      `select ${name}(…) as its own column and compute the expression when reading the summary`,
    );
    return false;
  }

  /** Refuses the aggregate calls Tally cannot maintain; true when this one is fine. */
  private checkAggregate(fc: FuncCall): boolean {
    const before = this.issues.length;
    const parts = funcParts(fc);
    const name = baseName(fc);
    const at = fc.location;
    if (parts.length > 2 || (parts.length === 2 && parts[0] !== 'pg_catalog')) {
      this.refuse(
        `${parts.join('.')}() is not a supported aggregate: only ${SUPPORTED_LIST} are`,
        at,
      );
      return false;
    }
    if (fc.agg_within_group) {
      this.refuse(
        `ordered-set aggregate ${name}() WITHIN GROUP is not supported: its result cannot be maintained from per-group running values`,
        at,
      );
      return false;
    }
    if (!SUPPORTED.has(name)) {
      this.refuse(
        `${KNOWN_AGGREGATES.has(name) ? 'aggregate ' : ''}${name}() is not a supported aggregate: Tally maintains ${SUPPORTED_LIST}`,
        at,
        UNSUPPORTED_HINTS[name],
      );
      return false;
    }
    const args = fc.args ?? [];
    if (fc.func_variadic) this.refuse(`VARIADIC in ${name}() is not supported`, at);
    if (fc.agg_star && name !== 'count')
      this.refuse(`${name}(*) is not valid: only count takes *`, at);
    if (!fc.agg_star && args.length !== 1)
      this.refuse(`${name}() takes exactly one argument here, not ${args.length}`, at);
    if (args.some((a) => 'NamedArgExpr' in a))
      this.refuse(`named arguments in ${name}() are not supported`, at);
    if (fc.agg_distinct && name !== 'count') {
      this.refuse(
        `DISTINCT inside ${name}() is not supported: only count(DISTINCT x) is maintained`,
        this.keywordAfter('DISTINCT', at),
        ['min', 'max', 'bool_and', 'bool_or', 'every'].includes(name)
          ? `remove DISTINCT: it does not change the result of ${name}()`
          : undefined,
      );
    }
    if (fc.agg_order?.length && name !== 'array_agg') {
      this.refuse(
        `ORDER BY inside ${name}() is not supported: only array_agg keeps an order`,
        this.keywordAfter('ORDER', at),
      );
    }
    for (const o of fc.agg_order ?? []) {
      if ('SortBy' in o && o.SortBy.sortby_dir === 'SORTBY_USING')
        this.refuse(
          'ORDER BY … USING is not supported: use ASC or DESC',
          minLocation(o.SortBy.node),
        );
    }
    if (this.issues.length > before) return false;
    const inside = `${name}()`;
    for (const a of args) if (this.scalar(a, inside) === undefined) return false;
    for (const o of fc.agg_order ?? [])
      if ('SortBy' in o && o.SortBy.node && this.scalar(o.SortBy.node, inside) === undefined)
        return false;
    if (fc.agg_filter && this.scalar(fc.agg_filter, 'FILTER') === undefined) return false;
    return true;
  }

  /**
   * Checks one scalar piece (an argument, a filter, a key) and returns it, or undefined after
   * recording why it is refused. `context` says where it sits, for the messages.
   */
  private scalar(node: Node, context: string): Node | undefined {
    let refused = false;
    walk(node, (type, body) => {
      if (refused || type !== 'FuncCall') return;
      const fc = body as FuncCall;
      const name = baseName(fc);
      if (fc.over) {
        refused = true;
        this.refuse(
          `window function ${name}() OVER (…) is not supported: a window result depends on other rows, not just the group's`,
          fc.location,
        );
      } else if (isAggregateCall(fc)) {
        refused = true;
        this.refuse(
          context === 'WHERE' || context === 'FILTER'
            ? `aggregate functions are not allowed in ${context}: ${name}() would have to see other rows`
            : context === 'GROUP BY'
              ? `aggregate functions are not allowed in GROUP BY (${name}())`
              : `nested aggregate: ${name}() inside ${context} is not allowed`,
          fc.location,
        );
      }
    });
    if (refused) return undefined;
    try {
      checkScalarExpression(node, FIELD);
    } catch (e) {
      if (!(e instanceof DefinitionError)) throw e;
      for (const i of e.issues) {
        // checkScalarExpression counts positions from after its own 'SELECT ' prefix
        const location =
          i.position === undefined ? undefined : i.position - 1 + EXPRESSION_PREFIX_BYTES;
        this.refuse(
          i.message,
          location !== undefined && location >= 0 ? location : undefined,
          i.hint,
        );
      }
      return undefined;
    }
    return node;
  }

  // ---- GROUP BY ------------------------------------------------------------------------------

  /**
   * Marks the select items that are group keys. PostgreSQL's rules: an integer is an ordinal;
   * a bare name is an input column first, else an output column name; anything else must
   * equal a select item's expression.
   */
  private groupBy(s: SelectStmt, items: Item[]): void {
    const keys = items.filter((i) => !i.aggregate);
    for (const g of s.groupClause ?? []) {
      if ('GroupingSet' in g) continue; // refused in clauses()
      const at = minLocation(g);
      if ('A_Const' in g) {
        const c = g.A_Const;
        if (!('ival' in c)) {
          this.refuse(
            'non-integer constant in GROUP BY: use a column, an expression or a position',
            at,
          );
          continue;
        }
        const n = c.ival?.ival ?? 0;
        const item = items.find((i) => i.index === n - 1);
        if (!item) {
          const exists = n >= 1 && n <= (s.targetList?.length ?? 0);
          if (!exists) this.refuse(`GROUP BY position ${n} is not in select list`, at);
        } else if (item.aggregate) {
          this.refuse(
            `GROUP BY ${n} refers to ${baseName(item.aggregate)}(…): aggregate functions are not allowed in GROUP BY`,
            at,
          );
        } else item.grouped = true;
        continue;
      }
      const bare = columnName(g);
      if (bare !== undefined) {
        const asColumn = keys.filter((i) => columnName(i.node) === bare);
        if (asColumn.length) {
          for (const i of asColumn) i.grouped = true;
          continue;
        }
        const byName = items.filter((i) => i.name === bare);
        if (byName.length > 1) {
          this.refuse(
            `GROUP BY "${bare}" is ambiguous: several select items are named ${bare}`,
            at,
          );
          continue;
        }
        const item = byName[0];
        if (item?.aggregate) {
          this.refuse(
            `GROUP BY ${bare} refers to the aggregate ${baseName(item.aggregate)}(…): aggregate functions are not allowed in GROUP BY`,
            at,
          );
          continue;
        }
        if (item) {
          if (columnsOf(item.node).some((c) => c.column === bare)) {
            // PostgreSQL reads the name as the input column here, making the item an
            // expression over a key rather than a key.
            this.refuse(
              `GROUP BY ${bare} groups by the column ${bare}, not by the select item named ${bare}: expressions over a group key are not supported`,
              at,
              `group by the expression itself, or by its position (GROUP BY ${item.index + 1})`,
            );
            continue;
          }
          item.grouped = true;
          continue;
        }
        this.refuse(
          `GROUP BY key ${bare} is not in the select list: every group key must be a column of the summary`,
          at,
          `add ${bare} to the select list`,
        );
        continue;
      }
      const target = shape(stripQualifiers(g));
      const matches = keys.filter((i) => shape(i.node) === target);
      if (matches.length) {
        for (const i of matches) i.grouped = true;
        continue;
      }
      if (this.scalar(g, 'GROUP BY') === undefined) continue;
      this.refuse(
        'this GROUP BY expression is not in the select list: every group key must be a column of the summary',
        at,
        'select the same expression (with an alias), then GROUP BY its position or alias',
      );
    }
  }

  /** PostgreSQL's own rule, plus: an expression over keys is not a key. */
  private ungrouped(items: Item[]): void {
    for (const i of items) {
      if (i.aggregate || i.grouped) continue;
      const column = columnName(i.node);
      const refs: string[] = [];
      walk(i.node, (type, body) => {
        if (type === 'ColumnRef') {
          const f = (body.fields as Node[] | undefined)?.at(-1);
          if (f && 'String' in f) refs.push(f.String.sval ?? '');
        }
      });
      const at = i.location;
      if (column !== undefined) {
        this.refuse(
          `column "${column}" must appear in the GROUP BY clause or be used in an aggregate function`,
          at,
        );
      } else if (refs.length) {
        this.refuse(
          `select item ${i.index + 1} is neither a group key nor an aggregate: expressions over columns must themselves appear in GROUP BY`,
          at,
          `add it to GROUP BY (e.g. GROUP BY ${i.index + 1})`,
        );
      } else {
        this.refuse(
          `select item ${i.index + 1} is a constant: every column of a summary is a group key or an aggregate`,
          at,
        );
      }
    }
  }

  // ---- output names --------------------------------------------------------------------------

  private names(items: Item[]): void {
    const seen = new Map<string, Item>();
    for (const i of items) {
      if (!i.aggregate && !i.grouped) continue; // already refused
      const at = i.location;
      if (i.name === undefined) {
        this.refuse(
          `select item ${i.index + 1} has no name (PostgreSQL would call it ?column?): add an alias, e.g. … AS total`,
          at,
        );
        continue;
      }
      if (i.name.startsWith(HIDDEN_PREFIX)) {
        this.refuse(
          `output column "${i.name}" must not start with "${HIDDEN_PREFIX}" (reserved for Tally's hidden columns)`,
          at,
        );
      }
      const prev = seen.get(i.name);
      if (prev) {
        this.refuse(
          `two output columns are named "${i.name}" (select items ${prev.index + 1} and ${i.index + 1}): a table cannot have two columns with one name`,
          at,
          `add an alias: … AS ${i.name}_2`,
        );
      } else seen.set(i.name, i);
    }
  }

  // ---- building the definition ---------------------------------------------------------------

  private async key(i: Item): Promise<DefinitionInput['groupBy'][number]> {
    const name = i.name!;
    const column = columnName(i.node);
    if (column !== undefined)
      return { kind: 'column', column, ...(name !== column ? { name } : {}) };
    return { kind: 'expression', expr: await deparseExpression(i.node), name };
  }

  private async aggregate(i: Item): Promise<DefinitionInput['aggregates'][number]> {
    const fc = (i.node as { FuncCall: FuncCall }).FuncCall;
    const base = baseName(fc);
    const fn: AggregateFunction = fc.agg_distinct
      ? 'count_distinct'
      : base === 'every'
        ? 'bool_and'
        : (base as AggregateFunction);
    const arg = fc.agg_star ? undefined : fc.args?.[0];
    const orderBy = await Promise.all(
      (fc.agg_order ?? []).map(async (o) => {
        const s = (o as { SortBy: SortBy }).SortBy;
        return {
          expr: await deparseExpression(s.node),
          direction: s.sortby_dir === 'SORTBY_DESC' ? ('desc' as const) : ('asc' as const),
          ...(s.sortby_nulls === 'SORTBY_NULLS_FIRST'
            ? { nulls: 'first' as const }
            : s.sortby_nulls === 'SORTBY_NULLS_LAST'
              ? { nulls: 'last' as const }
              : {}),
        };
      }),
    );
    return {
      name: i.name!,
      fn,
      ...(arg ? { arg: await deparseExpression(arg) } : {}),
      ...(orderBy.length ? { orderBy } : {}),
      ...(fc.agg_filter ? { filter: await deparseExpression(fc.agg_filter) } : {}),
    };
  }
}
