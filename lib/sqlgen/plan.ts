import type { TableRef } from '../definition/definition';
import type { DeltaMode } from './summary-model';

/**
 * The install plan: what `generateSql` will emit, as data. build-plan.ts turns a resolved
 * definition into these nodes; render-node.ts renders each kind with its own small renderer.
 * SQL fragments inside nodes are expressions that were parsed and re-printed (never raw input).
 */

export interface ColumnSpec {
  readonly name: string;
  readonly type: string;
  readonly collation?: string;
  readonly notNull?: boolean;
  /** STORED generated column expression */
  readonly generated?: string;
  /** shown as a `--` comment after the column */
  readonly comment?: string;
}

/** A statement of a PL/pgSQL maintenance function body. */
export type BodyStep =
  /** lock the slots of the groups in the transition table(s); return early when none */
  | { readonly kind: 'lockGroups'; readonly mode: DeltaMode }
  /** the summary-wide exclusive lock (TRUNCATE) */
  | { readonly kind: 'lockSummary' }
  /** fold the statement's per-group delta into the summary, collecting rows to delete/recompute */
  | { readonly kind: 'applyDelta'; readonly mode: DeltaMode }
  /** delete groups left without rows */
  | { readonly kind: 'deleteEmptyGroups' }
  /** REPEATABLE READ/SERIALIZABLE: raise 40001 instead of recomputing from a stale snapshot */
  | { readonly kind: 'checkSnapshot' }
  /** recompute the stale groups' non-incremental columns from the source */
  | { readonly kind: 'recomputeGroups'; readonly mode: DeltaMode }
  /** TRUNCATE of the source: empty the summary (or reset its single row) */
  | { readonly kind: 'resetSummary' }
  /** the guard: refuse the write unless the transaction says it is maintenance */
  | {
      readonly kind: 'raiseReadOnly';
      /** SET LOCAL <setting> = <value> marks Tally's own writes (backfill, repair) */
      readonly setting: string;
      readonly value: string;
      readonly message: string;
      readonly detail: string;
      readonly hint: string;
    };

export interface FunctionVariable {
  readonly name: string;
  readonly type: string;
}

export type PlanNode =
  | {
      readonly kind: 'createTable';
      readonly table: TableRef;
      readonly columns: readonly ColumnSpec[];
      /** storage parameter: free space left on each page for HOT updates */
      readonly fillfactor?: number;
      readonly comment?: string;
    }
  | { readonly kind: 'commentOnTable'; readonly table: TableRef; readonly text: string }
  | {
      readonly kind: 'createIndex';
      readonly name: string;
      readonly table: TableRef;
      /** rendered index items: quoted columns or parenthesized expressions */
      readonly items: readonly string[];
      readonly unique?: boolean;
      readonly nullsNotDistinct?: boolean;
      readonly concurrently?: boolean;
      readonly ifNotExists?: boolean;
      readonly comment?: string;
    }
  | {
      readonly kind: 'insertRow';
      readonly table: TableRef;
      readonly values: readonly { readonly column: string; readonly value: string }[];
      readonly comment?: string;
    }
  | {
      readonly kind: 'createFunction';
      readonly schema: string;
      readonly name: string;
      /** lines of the comment at the top of the body */
      readonly about: readonly string[];
      readonly securityDefiner: boolean;
      readonly variables: readonly FunctionVariable[];
      readonly steps: readonly BodyStep[];
    }
  | { readonly kind: 'revokeExecute'; readonly schema: string; readonly name: string }
  | {
      readonly kind: 'createTrigger';
      readonly name: string;
      readonly table: TableRef;
      readonly timing: 'BEFORE' | 'AFTER';
      readonly events: readonly ('INSERT' | 'UPDATE' | 'DELETE' | 'TRUNCATE')[];
      readonly oldTable?: string;
      readonly newTable?: string;
      readonly when?: string;
      readonly functionSchema: string;
      readonly functionName: string;
      readonly comment?: string;
    }
  | { readonly kind: 'setLocal'; readonly name: string; readonly value: string; readonly comment?: string }
  /** fill the summary from the source in one statement (until the batched backfill exists) */
  | { readonly kind: 'populate' }
  | { readonly kind: 'dropTrigger'; readonly name: string; readonly table: TableRef }
  | { readonly kind: 'dropTable'; readonly table: TableRef }
  | { readonly kind: 'dropFunction'; readonly schema: string; readonly name: string }
  | { readonly kind: 'dropIndex'; readonly schema: string; readonly name: string; readonly comment?: string };

export type SectionId = 'source_indexes' | 'table' | 'guard' | 'maintenance' | 'triggers' | 'populate';

export interface PlanSection {
  readonly id: SectionId;
  readonly title: string;
  /** concurrent: before and outside the install transaction; install: the transaction; populate: optional, after */
  readonly phase: 'concurrent' | 'install' | 'populate';
  readonly nodes: readonly PlanNode[];
}

export interface InstallPlan {
  readonly sections: readonly PlanSection[];
  readonly uninstall: readonly PlanNode[];
  readonly warnings: readonly { readonly code: string; readonly message: string }[];
}
