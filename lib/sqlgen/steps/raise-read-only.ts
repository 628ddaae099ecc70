import { quoteLiteral } from '../../db/ident';
import type { BodyStep } from '../plan';

export function renderRaiseReadOnly(step: Extract<BodyStep, { kind: 'raiseReadOnly' }>): string {
  return [
    `-- Tally's backfill and repair mark their transaction: SET LOCAL ${step.setting} = ${quoteLiteral(step.value)}`,
    `IF pg_catalog.current_setting(${quoteLiteral(step.setting)}, true) IS NOT DISTINCT FROM ${quoteLiteral(step.value)} THEN`,
    `  RETURN NULL;`,
    `END IF;`,
    `RAISE EXCEPTION USING`,
    `  ERRCODE = 'insufficient_privilege',`,
    `  MESSAGE = ${quoteLiteral(step.message)},`,
    `  DETAIL = ${quoteLiteral(step.detail)},`,
    `  HINT = ${quoteLiteral(step.hint)};`,
  ].join('\n');
}
