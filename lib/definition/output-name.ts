import type { Node } from 'libpg-query';

/**
 * The name PostgreSQL gives an unaliased select item: a port of FigureColnameInternal
 * (src/backend/parser/parse_target.c). Returns undefined where PostgreSQL would say `?column?`.
 * Pasted queries keep the column names users already see in psql.
 */
export function outputColumnName(node: Node | undefined): string | undefined {
  return figure(node)?.name;
}

/** `strength` 2 is a real name; 1 a fallback (a type name, "case") that a stronger one beats. */
interface Figured {
  readonly name: string;
  readonly strength: 1 | 2;
}

const lastString = (nodes: readonly Node[] | undefined): string | undefined => {
  let out: string | undefined;
  for (const n of nodes ?? []) if ('String' in n) out = n.String.sval;
  return out;
};

const XML_NAMES: Record<string, string> = {
  IS_XMLCONCAT: 'xmlconcat',
  IS_XMLELEMENT: 'xmlelement',
  IS_XMLFOREST: 'xmlforest',
  IS_XMLPARSE: 'xmlparse',
  IS_XMLPI: 'xmlpi',
  IS_XMLROOT: 'xmlroot',
  IS_XMLSERIALIZE: 'xmlserialize',
};

const JSON_FUNC_NAMES: Record<string, string> = {
  JSON_EXISTS_OP: 'json_exists',
  JSON_QUERY_OP: 'json_query',
  JSON_VALUE_OP: 'json_value',
};

function figure(node: Node | undefined): Figured | undefined {
  if (!node) return undefined;
  const strong = (name: string | undefined): Figured | undefined =>
    name ? { name, strength: 2 } : undefined;
  if ('ColumnRef' in node) return strong(lastString(node.ColumnRef.fields));
  if ('A_Indirection' in node) {
    return strong(lastString(node.A_Indirection.indirection)) ?? figure(node.A_Indirection.arg);
  }
  if ('FuncCall' in node) return strong(lastString(node.FuncCall.funcname));
  if ('A_Expr' in node) return node.A_Expr.kind === 'AEXPR_NULLIF' ? strong('nullif') : undefined;
  if ('TypeCast' in node) {
    const inner = figure(node.TypeCast.arg);
    if (inner?.strength === 2) return inner;
    const type = lastString(node.TypeCast.typeName?.names);
    return type ? { name: type, strength: 1 } : inner;
  }
  if ('CollateClause' in node) return figure(node.CollateClause.arg);
  if ('GroupingFunc' in node) return strong('grouping');
  if ('SubLink' in node) {
    const kind = node.SubLink.subLinkType;
    if (kind === 'EXISTS_SUBLINK') return strong('exists');
    if (kind === 'ARRAY_SUBLINK') return strong('array');
    if (kind === 'EXPR_SUBLINK' || kind === 'MULTIEXPR_SUBLINK') {
      const sub = node.SubLink.subselect;
      const first = sub && 'SelectStmt' in sub ? sub.SelectStmt.targetList?.[0] : undefined;
      if (first && 'ResTarget' in first && first.ResTarget.name)
        return strong(first.ResTarget.name);
    }
    return undefined;
  }
  if ('CaseExpr' in node) {
    const inner = figure(node.CaseExpr.defresult);
    return inner?.strength === 2 ? inner : { name: 'case', strength: 1 };
  }
  if ('A_ArrayExpr' in node) return strong('array');
  if ('RowExpr' in node) return strong('row');
  if ('CoalesceExpr' in node) return strong('coalesce');
  if ('MinMaxExpr' in node) return strong(node.MinMaxExpr.op === 'IS_LEAST' ? 'least' : 'greatest');
  if ('SQLValueFunction' in node)
    return strong(
      String(node.SQLValueFunction.op ?? '')
        .replace(/^SVFOP_/, '')
        .replace(/_N$/, '')
        .toLowerCase(),
    );
  if ('XmlExpr' in node) return strong(XML_NAMES[String(node.XmlExpr.op)]);
  if ('XmlSerialize' in node) return strong('xmlserialize');
  if ('JsonParseExpr' in node) return strong('json');
  if ('JsonScalarExpr' in node) return strong('json_scalar');
  if ('JsonSerializeExpr' in node) return strong('json_serialize');
  if ('JsonObjectConstructor' in node) return strong('json_object');
  if ('JsonArrayConstructor' in node || 'JsonArrayQueryConstructor' in node)
    return strong('json_array');
  if ('JsonObjectAgg' in node) return strong('json_objectagg');
  if ('JsonArrayAgg' in node) return strong('json_arrayagg');
  if ('JsonFuncExpr' in node) return strong(JSON_FUNC_NAMES[String(node.JsonFuncExpr.op)]);
  if ('MergeSupportFunc' in node) return strong('merge_action');
  return undefined;
}
