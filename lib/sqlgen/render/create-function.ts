import { qualify } from '../../db/ident';
import { dollarTag } from '../names';
import type { PlanNode } from '../plan';
import { renderStep } from '../steps/render-step';
import type { SummaryModel } from '../summary-model';
import { commentLines, indentLines } from './format';

export function renderCreateFunction(n: Extract<PlanNode, { kind: 'createFunction' }>, m: SummaryModel): string {
  const body = [
    commentLines(n.about).trimEnd(),
    // column names win over variable names: a source column may be called anything
    '#variable_conflict use_column',
    ...(n.variables.length ? ['DECLARE', ...n.variables.map((v) => `  ${v.name} ${v.type};`)] : []),
    'BEGIN',
    n.steps.map((s) => indentLines(renderStep(s, m), '  ')).join('\n\n'),
    ...(n.steps.at(-1)?.kind === 'raiseReadOnly' ? [] : ['  RETURN NULL;']),
    'END;',
  ].join('\n');
  const tag = dollarTag(body);
  return [
    `CREATE FUNCTION ${qualify(n.schema, n.name)}() RETURNS trigger`,
    `LANGUAGE plpgsql`,
    ...(n.securityDefiner ? ['SECURITY DEFINER'] : []),
    `SET search_path = pg_catalog, pg_temp`,
    `AS ${tag}`,
    body,
    `${tag};`,
  ].join('\n');
}
