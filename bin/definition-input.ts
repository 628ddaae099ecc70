import fs from 'node:fs';
import type { Command } from 'commander';
import { parseDefiningQuery } from '../lib/definition/parse-sql';
import { parseDefinitionJson, validateDefinition } from '../lib/definition/validate-definition';
import type { Definition } from '../lib/definition/definition';
import { DefinitionError } from '../lib/errors';

/**
 * The two ways a definition reaches the CLI (PRODUCT.md): a pasted defining query, or a
 * definition JSON file. Shared by `generate` and `create`.
 */
export interface DefinitionOptions {
  name?: string;
  sql?: string;
  file?: string;
  targetSchema?: string;
}

export function addDefinitionOptions(cmd: Command): Command {
  return cmd
    .option('--name <name>', 'summary name (lower-case letters, digits, _); required with --sql')
    .option(
      '--sql <query>',
      'the defining query: SELECT … FROM table [WHERE …] [GROUP BY …] ("-" reads stdin)',
    )
    .option(
      '--file <path>',
      'a definition JSON file, or a .sql file holding the defining query ("-" reads stdin)',
    )
    .option(
      '--target-schema <schema>',
      "schema for the summary table (default: the source table's)",
    );
}

function readText(path: string, field: string): string {
  try {
    return fs.readFileSync(path === '-' ? 0 : path, 'utf8');
  } catch (e) {
    throw DefinitionError.single(
      field,
      `cannot read ${path === '-' ? 'stdin' : path}: ${(e as Error).message}`,
    );
  }
}

export async function readDefinition(opts: DefinitionOptions): Promise<Definition> {
  if (opts.sql !== undefined && opts.file !== undefined)
    throw DefinitionError.single('sql', 'give either --sql or --file, not both');
  if (opts.sql === undefined && opts.file === undefined)
    throw DefinitionError.single(
      'sql',
      'missing: give the defining query with --sql "SELECT …", or a definition with --file',
    );

  if (opts.file !== undefined) {
    const text = readText(opts.file, 'file');
    // a .sql file, or stdin that does not look like JSON, is a defining query
    const isSql =
      opts.file.endsWith('.sql') ||
      (!opts.file.endsWith('.json') && !text.trimStart().startsWith('{'));
    if (!isSql) return withOverrides(parseDefinitionJson(text, 'file'), opts);
    return fromSql(text, opts);
  }
  return fromSql(opts.sql === '-' ? readText('-', 'sql') : opts.sql!, opts);
}

async function fromSql(sql: string, opts: DefinitionOptions): Promise<Definition> {
  if (opts.name === undefined)
    throw DefinitionError.single('name', 'is required with a defining query: --name <name>');
  return parseDefiningQuery(sql, {
    name: opts.name,
    ...(opts.targetSchema !== undefined ? { targetSchema: opts.targetSchema } : {}),
  });
}

/** --name and --target-schema override what a JSON file says. */
function withOverrides(d: Definition, opts: DefinitionOptions): Definition {
  if (opts.name === undefined && opts.targetSchema === undefined) return d;
  return validateDefinition({
    ...d,
    ...(opts.name !== undefined ? { name: opts.name } : {}),
    target: {
      ...d.target,
      ...(opts.targetSchema !== undefined ? { schema: opts.targetSchema } : {}),
    },
  });
}
