import { z } from 'zod';
import { identifierBytes, MAX_IDENTIFIER_BYTES } from '../db/ident';

/**
 * The summary definition: the structured form of a defining query. JSON files, the browser
 * form and pasted SQL (parse-sql.ts) all end up as this shape; it is the source of truth
 * for everything generated from it.
 */

/** Any PostgreSQL identifier: quoted wherever it is used, so only length and NUL matter. */
export const identifier = z
  .string()
  .min(1, 'must not be empty')
  .refine((s) => !s.includes('\0'), 'must not contain a NUL character')
  .refine(
    (s) => identifierBytes(s) <= MAX_IDENTIFIER_BYTES,
    `is longer than ${MAX_IDENTIFIER_BYTES} bytes, PostgreSQL would truncate it`,
  );

/** The handle users type on the command line: a plain lower-case name. */
export const summaryName = identifier.regex(
  /^[a-z_][a-z0-9_]*$/,
  'must be lower-case letters, digits and underscores, starting with a letter or underscore',
);

/** Output column names must not collide with the hidden helper columns. */
export const HIDDEN_PREFIX = '_tally_';
const outputName = identifier.refine(
  (s) => !s.startsWith(HIDDEN_PREFIX),
  `must not start with "${HIDDEN_PREFIX}" (reserved for Tally's hidden columns)`,
);

/** A SQL expression as the user wrote it; parsed and validated before use (expression.ts). */
export const expressionText = z.string().trim().min(1, 'must not be empty');

export const tableRef = z.strictObject({ schema: identifier, table: identifier });
export type TableRef = z.infer<typeof tableRef>;

export const groupKey = z.discriminatedUnion('kind', [
  z.strictObject({
    kind: z.literal('column'),
    column: identifier,
    /** output name; defaults to the column name */
    name: outputName.optional(),
  }),
  z.strictObject({
    kind: z.literal('expression'),
    expr: expressionText,
    name: outputName,
  }),
]);
export type GroupKey = z.infer<typeof groupKey>;

export const AGGREGATE_FUNCTIONS = [
  'count',
  'count_distinct',
  'sum',
  'avg',
  'min',
  'max',
  'bool_and',
  'bool_or',
  'array_agg',
] as const;
export type AggregateFunction = (typeof AGGREGATE_FUNCTIONS)[number];

export const orderItem = z.strictObject({
  expr: expressionText,
  direction: z.enum(['asc', 'desc']).default('asc'),
  nulls: z.enum(['first', 'last']).optional(),
});
export type OrderItem = z.infer<typeof orderItem>;

export const aggregate = z.strictObject({
  name: outputName,
  fn: z.enum(AGGREGATE_FUNCTIONS),
  /** the argument expression; omitted only for count(*) */
  arg: expressionText.optional(),
  /** array_agg(x ORDER BY …) */
  orderBy: z.array(orderItem).optional(),
  /** FILTER (WHERE …) */
  filter: expressionText.optional(),
});
export type Aggregate = z.infer<typeof aggregate>;

export const aggregateDefinition = z
  .strictObject({
    version: z.literal(1).default(1),
    shape: z.literal('aggregate'),
    name: summaryName,
    /** where the summary table goes; schema defaults to the source's, table to the name */
    target: z.strictObject({ schema: identifier.optional(), table: identifier.optional() }).default({}),
    source: tableRef,
    /** WHERE: rows outside it do not count */
    filter: expressionText.optional(),
    groupBy: z.array(groupKey),
    aggregates: z.array(aggregate).min(1, 'a summary needs at least one aggregate'),
  })
  .superRefine((d, ctx) => {
    const seen = new Map<string, string>();
    const claim = (name: string, path: (string | number)[]) => {
      const prev = seen.get(name);
      if (prev)
        ctx.addIssue({ code: 'custom', path, message: `output column "${name}" is also used by ${prev}` });
      else seen.set(name, path.join('.'));
    };
    d.groupBy.forEach((k, i) => claim(groupKeyName(k), ['groupBy', i, 'name']));
    d.aggregates.forEach((a, i) => {
      claim(a.name, ['aggregates', i, 'name']);
      if (a.fn !== 'count' && !a.arg)
        ctx.addIssue({ code: 'custom', path: ['aggregates', i, 'arg'], message: `${a.fn} needs an argument` });
      if (a.orderBy?.length && a.fn !== 'array_agg')
        ctx.addIssue({
          code: 'custom',
          path: ['aggregates', i, 'orderBy'],
          message: 'ORDER BY inside an aggregate is only supported for array_agg',
        });
    });
  });
export type AggregateDefinition = z.infer<typeof aggregateDefinition>;

/** Every shape Tally maintains. Later shapes (latest row, view cache, joins) join this union. */
export const definition = aggregateDefinition;
export type Definition = z.infer<typeof definition>;
/** What a JSON file or the form may omit (defaults filled by parsing). */
export type DefinitionInput = z.input<typeof definition>;

export function groupKeyName(k: GroupKey): string {
  return k.kind === 'column' ? (k.name ?? k.column) : k.name;
}

export function targetOf(d: Definition): TableRef {
  return { schema: d.target.schema ?? d.source.schema, table: d.target.table ?? d.name };
}
