import { parseSync } from 'libpg-query';
import { DefinitionError } from '../errors';
import { ensureParser, walk } from '../definition/expression';

/**
 * A pasted "before"/"after" query must be exactly one plain SELECT: no second statement, no
 * SELECT INTO, no FOR UPDATE/SHARE, no data-modifying WITH. This is the early, readable refusal;
 * the READ ONLY transaction every timed run uses is the wall that stops anything else.
 */
export async function validateReadOnlySelect(text: string, field: string): Promise<string> {
  await ensureParser();
  const sqlText = text.trim().replace(/;\s*$/, '');
  if (!sqlText) throw DefinitionError.single(field, 'must not be empty');
  let tree: { stmts?: { stmt?: Record<string, unknown> }[] };
  try {
    tree = parseSync(sqlText) as typeof tree;
  } catch (e) {
    const err = e as { message?: string; cursorPosition?: number };
    throw DefinitionError.single(field, err.message ?? 'syntax error', {
      ...(typeof err.cursorPosition === 'number' ? { position: err.cursorPosition + 1 } : {}),
    });
  }
  const stmts = tree.stmts ?? [];
  if (stmts.length !== 1)
    throw DefinitionError.single(field, `must be one statement, found ${stmts.length}`);
  const stmt = stmts[0]!.stmt ?? {};
  const kind = Object.keys(stmt)[0] ?? 'empty';
  if (kind !== 'SelectStmt')
    throw DefinitionError.single(
      field,
      `must be a read-only SELECT, not ${kind.replace(/Stmt$/, '').toUpperCase()}`,
    );
  walk(stmt, (type, body) => {
    if (type === 'SelectStmt' && body.intoClause)
      throw DefinitionError.single(
        field,
        'SELECT … INTO creates a table: must be a read-only SELECT',
      );
    if (type === 'SelectStmt' && Array.isArray(body.lockingClause) && body.lockingClause.length)
      throw DefinitionError.single(
        field,
        'FOR UPDATE/SHARE takes row locks: must be a read-only SELECT',
      );
    if (
      type === 'InsertStmt' ||
      type === 'UpdateStmt' ||
      type === 'DeleteStmt' ||
      type === 'MergeStmt'
    )
      throw DefinitionError.single(field, 'a data-modifying WITH is not read-only');
  });
  return sqlText;
}
