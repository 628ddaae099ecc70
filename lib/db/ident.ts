/**
 * Identifier and literal quoting. Every name that reaches generated or runtime SQL goes
 * through `quoteIdent`: plain lower-case names stay bare so previews stay readable,
 * everything else is double-quoted with embedded quotes doubled.
 */

/** Keywords that cannot be used bare as a column or table name (pg_get_keywords() catcode <> 'U'). */
const RESERVED = new Set(
  (
    'all analyse analyze and any array as asc asymmetric authorization between bigint binary bit boolean both case cast char character check coalesce collate collation column concurrently constraint create cross current_catalog current_date current_role current_schema current_time current_timestamp current_user dec decimal default deferrable desc distinct do else end except exists extract false fetch float for foreign freeze from full grant greatest group grouping having ilike in initially inner inout int integer intersect interval into is isnull join lateral leading least left like limit localtime localtimestamp national natural nchar none normalize not notnull null nullif numeric offset on only or order out outer overlaps overlay placing position precision primary real references returning right row select session_user setof similar smallint some substring symmetric table tablesample then time timestamp to trailing treat trim true union unique user using values varchar variadic verbose when where window with xmlattributes xmlconcat xmlelement xmlexists xmlforest xmlnamespaces xmlparse xmlpi xmlroot xmlserialize xmltable ' +
    // PG 16+ additions
    'json_array json_arrayagg json_object json_objectagg json_scalar json_serialize merge_action json_exists json_query json_value json_table system_user'
  ).split(/\s+/),
);

/** PostgreSQL truncates identifiers longer than this many bytes (NAMEDATALEN - 1). */
export const MAX_IDENTIFIER_BYTES = 63;

export function identifierBytes(name: string): number {
  return Buffer.byteLength(name, 'utf8');
}

export function quoteIdent(name: string): string {
  if (name.length === 0) throw new Error('empty identifier');
  if (name.includes('\0')) throw new Error('identifier contains a NUL byte');
  if (/^[a-z_][a-z0-9_$]*$/.test(name) && !RESERVED.has(name)) return name;
  return `"${name.replace(/"/g, '""')}"`;
}

/** schema.name, each part quoted. */
export function qualify(schema: string, name: string): string {
  return `${quoteIdent(schema)}.${quoteIdent(name)}`;
}

/** A SQL string literal; uses E'' only when a backslash is present. */
export function quoteLiteral(value: string): string {
  if (value.includes('\0')) throw new Error('string literal contains a NUL byte');
  const body = value.replace(/'/g, "''");
  return value.includes('\\') ? `E'${body.replace(/\\/g, '\\\\')}'` : `'${body}'`;
}
