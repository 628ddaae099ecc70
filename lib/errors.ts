/**
 * The core's typed errors. The edge (CLI, route handlers) maps them to exit codes and HTTP
 * statuses through `errorExitCode` / `errorHttpStatus`, and prints them with `formatError`.
 */

export interface FieldIssue {
  /** Where the problem is, e.g. "aggregates.1.arg" or "sql" */
  readonly field: string;
  readonly message: string;
  /** 1-based character position in the field's text, when known */
  readonly position?: number;
  readonly hint?: string;
}

/** Bad input: names the field and the reason. Nothing was executed. */
export class DefinitionError extends Error {
  override readonly name = 'DefinitionError';
  constructor(readonly issues: readonly FieldIssue[]) {
    super(issues.map((i) => `${i.field}: ${i.message}`).join('\n'));
  }
  static single(field: string, message: string, extra: Partial<FieldIssue> = {}): DefinitionError {
    return new DefinitionError([{ field, message, ...extra }]);
  }
}

export class NotFoundError extends Error {
  override readonly name = 'NotFoundError';
}

/** The operation ran and found a problem (e.g. drift remains). */
export class ProblemFoundError extends Error {
  override readonly name = 'ProblemFoundError';
}

/** SQLSTATE codes we react to by name. */
export const SqlState = {
  serializationFailure: '40001',
  deadlockDetected: '40P01',
  lockNotAvailable: '55P03',
  queryCanceled: '57014',
  uniqueViolation: '23505',
  undefinedTable: '42P01',
  undefinedColumn: '42703',
  undefinedFunction: '42883',
  invalidObjectDefinition: '42P17',
  raiseException: 'P0001',
  duplicateObject: '42710',
  duplicateTable: '42P07',
  invalidCatalogName: '3D000',
  cannotConnectNow: '57P03',
} as const;

/** The fields of a node-postgres DatabaseError that we use. */
export interface PgErrorLike {
  message: string;
  code?: string;
  severity?: string;
  detail?: string;
  hint?: string;
  position?: string;
  internalPosition?: string;
  internalQuery?: string;
  where?: string;
  schema?: string;
  table?: string;
  column?: string;
  constraint?: string;
}

export function isPgError(e: unknown): e is PgErrorLike & Error {
  return (
    e instanceof Error &&
    typeof (e as { code?: unknown }).code === 'string' &&
    /^[0-9A-Z]{5}$/.test((e as unknown as { code: string }).code)
  );
}

/** An error from PostgreSQL, with the statement that caused it, printed the way psql does. */
export class DatabaseError extends Error {
  override readonly name = 'DatabaseError';
  readonly code: string | undefined;
  constructor(
    readonly pg: PgErrorLike,
    readonly statement?: string,
  ) {
    super(pg.message);
    this.code = pg.code;
  }
  get psql(): string {
    return formatPgError(this.pg, this.statement);
  }
}

/** Wraps a pg error with the statement text so it can be shown with LINE and caret. */
export function wrapDbError(e: unknown, statement?: string): unknown {
  if (e instanceof DatabaseError) return e;
  if (isPgError(e)) return new DatabaseError(e, statement);
  return e;
}

function caretLines(query: string, position: number): string[] {
  // position is 1-based, in characters
  const before = query.slice(0, position - 1);
  const lineNo = before.split('\n').length;
  const lines = query.split('\n');
  const line = lines[lineNo - 1] ?? '';
  const col = before.length - (before.lastIndexOf('\n') + 1);
  const prefix = `LINE ${lineNo}: `;
  return [prefix + line, ' '.repeat(prefix.length + col) + '^'];
}

/** psql's rendering: "ERROR:  msg", LINE + caret, DETAIL, HINT, CONTEXT. */
export function formatPgError(err: PgErrorLike, statement?: string): string {
  const out = [`${err.severity ?? 'ERROR'}:  ${err.message}`];
  if (err.position && statement) out.push(...caretLines(statement, Number(err.position)));
  if (err.detail) out.push(`DETAIL:  ${err.detail}`);
  if (err.hint) out.push(`HINT:  ${err.hint}`);
  if (err.internalQuery) {
    out.push(`QUERY:  ${err.internalQuery}`);
    if (err.internalPosition) out.push(...caretLines(err.internalQuery, Number(err.internalPosition)));
  }
  if (err.where) out.push(`CONTEXT:  ${err.where}`);
  return out.join('\n');
}

/** One human-readable rendering for any error, for the CLI and API responses. */
export function formatError(e: unknown): string {
  if (e instanceof DatabaseError) return e.psql;
  if (isPgError(e)) return formatPgError(e);
  if (e instanceof DefinitionError)
    return e.issues
      .map(
        (i) =>
          `error: ${i.field}: ${i.message}` +
          (i.position ? ` (at character ${i.position})` : '') +
          (i.hint ? `\nhint: ${i.hint}` : ''),
      )
      .join('\n');
  if (e instanceof Error) return `error: ${e.message}`;
  return `error: ${String(e)}`;
}

/** CLI exit codes (PRODUCT.md): 0 ok, 1 a problem was found, 2 bad input. */
export function errorExitCode(e: unknown): 1 | 2 {
  if (e instanceof DefinitionError || e instanceof NotFoundError) return 2;
  return 1;
}

export function errorHttpStatus(e: unknown): number {
  if (e instanceof DefinitionError) return 400;
  if (e instanceof NotFoundError) return 404;
  if (e instanceof DatabaseError || isPgError(e)) {
    const code = (e as { code?: string }).code ?? '';
    if (code === SqlState.lockNotAvailable || code === SqlState.serializationFailure) return 409;
    if (code.startsWith('42') || code.startsWith('22')) return 400;
  }
  return 500;
}
