import type { BodyStep } from '../plan';
import type { SummaryModel } from '../summary-model';
import { renderApplyDelta } from './apply-delta';
import { renderCheckSnapshot } from './check-snapshot';
import { renderDeleteEmptyGroups } from './delete-empty-groups';
import { renderLockGroups } from './lock-groups';
import { renderLockSummary } from './lock-summary';
import { renderRaiseReadOnly } from './raise-read-only';
import { renderRecomputeGroups } from './recompute-groups';
import { renderResetSummary } from './reset-summary';

/** One PL/pgSQL step of a maintenance function body (unindented). */
export function renderStep(step: BodyStep, m: SummaryModel): string {
  switch (step.kind) {
    case 'lockGroups':
      return renderLockGroups(step, m);
    case 'lockSummary':
      return renderLockSummary(m);
    case 'applyDelta':
      return renderApplyDelta(step, m);
    case 'deleteEmptyGroups':
      return renderDeleteEmptyGroups(m);
    case 'checkSnapshot':
      return renderCheckSnapshot(m);
    case 'recomputeGroups':
      return renderRecomputeGroups(step, m);
    case 'resetSummary':
      return renderResetSummary(m);
    case 'raiseReadOnly':
      return renderRaiseReadOnly(step);
    default: {
      const never: never = step;
      throw new Error(`unknown body step ${JSON.stringify(never)}`);
    }
  }
}
