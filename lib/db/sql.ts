import { quoteIdent } from './ident';

/**
 * A tagged template for runtime queries: interpolated values become $n parameters,
 * `ident(...)` fragments are quoted identifiers and `raw(...)` fragments are trusted text
 * produced by our own generators (never user input).
 */
export interface SqlQuery {
  readonly text: string;
  readonly values: unknown[];
}

class Fragment {
  constructor(readonly text: string) {}
}

export function ident(...parts: string[]): Fragment {
  return new Fragment(parts.map(quoteIdent).join('.'));
}

export function raw(text: string): Fragment {
  return new Fragment(text);
}

export function sql(strings: TemplateStringsArray, ...args: unknown[]): SqlQuery {
  let text = strings[0] ?? '';
  const values: unknown[] = [];
  args.forEach((arg, i) => {
    if (arg instanceof Fragment) text += arg.text;
    else {
      values.push(arg);
      text += `$${values.length}`;
    }
    text += strings[i + 1] ?? '';
  });
  return { text, values };
}
