import type { NormalizedAggregate, NormalizedDefinition, NormalizedKey } from '../definition/normalize';

/**
 * A normalized definition checked against the live database (lib/summary/resolve.ts): every
 * type the generator needs, read from PostgreSQL itself. The SQL generator is pure given this.
 */
export interface SourceColumn {
  readonly name: string;
  /** format_type with typmod, e.g. `character varying(20)` */
  readonly type: string;
  readonly notNull: boolean;
}

export interface ResolvedKey extends NormalizedKey {
  /** output type of the key, format_type with typmod */
  readonly type: string;
  /** a NOT NULL source column: lookups can use plain `=` */
  readonly notNull: boolean;
  /** non-default collation of the key, already quoted (e.g. `pg_catalog."C"`) */
  readonly collation?: string;
  /** the key as PostgreSQL prints it in an index definition (for matching existing indexes) */
  readonly indexSql: string;
}

export interface ResolvedAggregate extends NormalizedAggregate {
  /** output type of the aggregate in the defining query, format_type with typmod */
  readonly type: string;
  /** non-default collation of the output, quoted */
  readonly collation?: string;
  /** type of the argument, format_type with typmod; absent for count(*) */
  readonly argType?: string;
  /** the argument's base type (domains resolved), format_type without typmod */
  readonly argBaseType?: string;
}

export interface RecomputeIndex {
  /** an existing index, or the one Tally creates */
  readonly name: string;
  /** the index leads with every key (any order), or only with some */
  readonly covers: 'all' | 'leading';
}

export interface ResolvedDefinition extends NormalizedDefinition {
  readonly keys: readonly ResolvedKey[];
  readonly aggregates: readonly ResolvedAggregate[];
  readonly sourceColumns: readonly SourceColumn[];
  /** first advisory-lock key of every group lock of this summary (int4) */
  readonly lockClass: number;
  /** an existing valid btree index on the source that serves the recompute lookups */
  readonly recomputeIndex?: RecomputeIndex;
  /** column sets of the source's unique indexes and primary key */
  readonly sourceUniqueColumns: readonly (readonly string[])[];
  /** the keys can be indexed with btree (else recompute reads the whole source) */
  readonly keysIndexable: boolean;
  /** server_version_num */
  readonly serverVersion: number;
  /** what resolve could not check or wants the user to know, merged into GeneratedSql.warnings */
  readonly warnings: readonly { readonly code: string; readonly message: string }[];
}
