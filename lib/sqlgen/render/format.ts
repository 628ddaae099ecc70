import { qualify } from '../../db/ident';
import type { TableRef } from '../../definition/definition';
import { commentSafe } from '../names';

/** `-- text` lines (user-controlled names cannot break out of the comment). */
export function commentLines(text: string | readonly string[] | undefined, indent = ''): string {
  if (text === undefined) return '';
  const lines = (typeof text === 'string' ? text.split('\n') : text).map(commentSafe);
  return lines.map((l) => `${indent}--${l ? ' ' + l : ''}`).join('\n') + '\n';
}

export function tableName(t: TableRef): string {
  return qualify(t.schema, t.table);
}

/**
 * Indents every line of SQL text that starts outside a quoted token: a user's identifier or
 * string literal may contain a line break, and indenting inside it would change its value.
 */
export function indentLines(text: string, by: string): string {
  let out = '';
  let atLineStart = true;
  let i = 0;
  const n = text.length;
  while (i < n) {
    const ch = text[i]!;
    if (atLineStart && ch !== '\n') out += by;
    atLineStart = false;
    if (ch === "'" || ch === '"') {
      // 'literal' (E'…' honours backslash escapes) or "identifier"; a doubled quote stays inside
      const escapes = ch === "'" && /[Ee]/.test(text[i - 1] ?? '') && !/[\w$]/.test(text[i - 2] ?? '');
      let j = i + 1;
      for (; j < n; j++) {
        if (escapes && text[j] === '\\') j++;
        else if (text[j] === ch) {
          if (text[j + 1] === ch) j++;
          else break;
        }
      }
      out += text.slice(i, j + 1);
      i = j + 1;
      continue;
    }
    if (ch === '$') {
      const tag = /^\$(?:[A-Za-z_][A-Za-z0-9_]*)?\$/.exec(text.slice(i));
      if (tag && !/[\w]/.test(text[i - 1] ?? '')) {
        const end = text.indexOf(tag[0], i + tag[0].length);
        const stop = end < 0 ? n : end + tag[0].length;
        out += text.slice(i, stop);
        i = stop;
        continue;
      }
    }
    if (ch === '-' && text[i + 1] === '-') {
      const end = text.indexOf('\n', i);
      const stop = end < 0 ? n : end;
      out += text.slice(i, stop);
      i = stop;
      continue;
    }
    out += ch;
    if (ch === '\n') atLineStart = true;
    i++;
  }
  return out;
}
