import type { PlanNode } from '../plan';
import type { SummaryModel } from '../summary-model';
import { renderCommentOnTable } from './comment-on-table';
import { renderCreateFunction } from './create-function';
import { renderCreateIndex } from './create-index';
import { renderCreateTable } from './create-table';
import { renderCreateTrigger } from './create-trigger';
import { renderDropFunction, renderDropIndex, renderDropTable, renderDropTrigger } from './drop';
import { renderInsertRow } from './insert-row';
import { renderPopulate } from './populate';
import { renderRevokeExecute } from './revoke-execute';
import { renderSetLocal } from './set-local';

/** One statement of the generated SQL, terminated by `;`. */
export function renderNode(n: PlanNode, m: SummaryModel): string {
  switch (n.kind) {
    case 'createTable':
      return renderCreateTable(n);
    case 'commentOnTable':
      return renderCommentOnTable(n);
    case 'createIndex':
      return renderCreateIndex(n);
    case 'insertRow':
      return renderInsertRow(n);
    case 'createFunction':
      return renderCreateFunction(n, m);
    case 'revokeExecute':
      return renderRevokeExecute(n);
    case 'createTrigger':
      return renderCreateTrigger(n);
    case 'setLocal':
      return renderSetLocal(n);
    case 'populate':
      return renderPopulate(m);
    case 'dropTrigger':
      return renderDropTrigger(n);
    case 'dropTable':
      return renderDropTable(n);
    case 'dropFunction':
      return renderDropFunction(n);
    case 'dropIndex':
      return renderDropIndex(n);
    default: {
      const never: never = n;
      throw new Error(`unknown plan node ${JSON.stringify(never)}`);
    }
  }
}
