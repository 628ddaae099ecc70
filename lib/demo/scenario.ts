import { z } from 'zod';

/**
 * A demo scenario is plain SQL text built from our own constants (never user input): the
 * tables of one seed, their data generated inside PostgreSQL, and the indexes and foreign
 * keys added after the load (cheaper than maintaining them row by row).
 */

export const DemoScaleSchema = z.enum(['small', 'medium', 'large']);
export type DemoScale = z.infer<typeof DemoScaleSchema>;

export const ScenarioNameSchema = z.enum(['crm', 'deals', 'app', 'sable']);
export type ScenarioName = z.infer<typeof ScenarioNameSchema>;
export const SCENARIO_NAMES: readonly ScenarioName[] = ScenarioNameSchema.options;

export interface DemoTable {
  /** schema-qualified, e.g. crm.users */
  readonly name: string;
  readonly create: string;
  /** INSERT … SELECT statements; their row counts are the table's rows */
  readonly load: readonly string[];
  /** primary key, indexes, foreign keys, identity sequence: after the load */
  readonly finish: readonly string[];
}

export interface DemoScenario {
  readonly name: ScenarioName;
  /** dropped (CASCADE) and created again; the first one holds the tables */
  readonly schemas: readonly string[];
  readonly tables: readonly DemoTable[];
  /** views and fix-ups that need every table loaded */
  readonly after: readonly string[];
}

export interface ScenarioContext {
  readonly scale: DemoScale;
  /** UTC midnight that ends the generated history, 'YYYY-MM-DD'; data spans the 2 years before */
  readonly anchor: string;
}

/** Days of history before the anchor. */
export const HISTORY_DAYS = 730;
