/**
 * A line diff of two SQL texts, for reviewing an edit (old install script vs new) before a
 * rebuild. Pure and dependency-free so the browser can run it. Longest common subsequence on
 * the lines left after trimming the common head and tail: generated scripts are a few
 * hundred lines, so the quadratic table stays small.
 */
export interface DiffLine {
  readonly kind: 'same' | 'add' | 'del';
  readonly text: string;
  /** 1-based line number in the old text (same, del) */
  readonly oldNo?: number;
  /** 1-based line number in the new text (same, add) */
  readonly newNo?: number;
}

export interface DiffHunk {
  readonly oldStart: number;
  readonly oldLines: number;
  readonly newStart: number;
  readonly newLines: number;
  readonly lines: readonly DiffLine[];
}

/** Above this many cells the middle is shown as one deletion and one addition. */
const MAX_CELLS = 4_000_000;

function split(text: string): string[] {
  if (text === '') return [];
  return text.replace(/\r\n/g, '\n').replace(/\n$/, '').split('\n');
}

export function diffLines(oldText: string, newText: string): DiffLine[] {
  const a = split(oldText);
  const b = split(newText);
  let head = 0;
  while (head < a.length && head < b.length && a[head] === b[head]) head++;
  let tail = 0;
  while (
    tail < a.length - head &&
    tail < b.length - head &&
    a[a.length - 1 - tail] === b[b.length - 1 - tail]
  )
    tail++;

  const out: DiffLine[] = [];
  for (let i = 0; i < head; i++)
    out.push({ kind: 'same', text: a[i]!, oldNo: i + 1, newNo: i + 1 });

  const am = a.slice(head, a.length - tail);
  const bm = b.slice(head, b.length - tail);
  const n = am.length;
  const m = bm.length;
  if (n * m > MAX_CELLS) {
    am.forEach((t, i) => out.push({ kind: 'del', text: t, oldNo: head + i + 1 }));
    bm.forEach((t, j) => out.push({ kind: 'add', text: t, newNo: head + j + 1 }));
  } else {
    // lcs[i][j] = LCS length of am[i..] and bm[j..], one flat array
    const w = m + 1;
    const lcs = new Uint32Array((n + 1) * w);
    for (let i = n - 1; i >= 0; i--)
      for (let j = m - 1; j >= 0; j--)
        lcs[i * w + j] =
          am[i] === bm[j]
            ? lcs[(i + 1) * w + j + 1]! + 1
            : Math.max(lcs[(i + 1) * w + j]!, lcs[i * w + j + 1]!);
    let i = 0;
    let j = 0;
    while (i < n || j < m) {
      if (i < n && j < m && am[i] === bm[j]) {
        out.push({ kind: 'same', text: am[i]!, oldNo: head + i + 1, newNo: head + j + 1 });
        i++;
        j++;
      } else if (j < m && (i === n || lcs[i * w + j + 1]! >= lcs[(i + 1) * w + j]!)) {
        out.push({ kind: 'add', text: bm[j]!, newNo: head + j + 1 });
        j++;
      } else {
        out.push({ kind: 'del', text: am[i]!, oldNo: head + i + 1 });
        i++;
      }
    }
  }

  for (let k = tail; k > 0; k--)
    out.push({
      kind: 'same',
      text: a[a.length - k]!,
      oldNo: a.length - k + 1,
      newNo: b.length - k + 1,
    });
  // deletions before additions inside each changed run reads better
  return reorderRuns(out);
}

function reorderRuns(lines: DiffLine[]): DiffLine[] {
  const out: DiffLine[] = [];
  let run: DiffLine[] = [];
  const flush = () => {
    out.push(...run.filter((l) => l.kind === 'del'), ...run.filter((l) => l.kind === 'add'));
    run = [];
  };
  for (const l of lines) {
    if (l.kind === 'same') {
      flush();
      out.push(l);
    } else run.push(l);
  }
  flush();
  return out;
}

/** Changed lines with `context` unchanged lines around them, grouped like a unified diff. */
export function diffHunks(lines: readonly DiffLine[], context = 3): DiffHunk[] {
  const changed = lines.map((l, i) => (l.kind === 'same' ? -1 : i)).filter((i) => i >= 0);
  if (!changed.length) return [];
  const ranges: [number, number][] = [];
  for (const i of changed) {
    const from = Math.max(0, i - context);
    const to = Math.min(lines.length - 1, i + context);
    const last = ranges[ranges.length - 1];
    if (last && from <= last[1] + 1) last[1] = Math.max(last[1], to);
    else ranges.push([from, to]);
  }
  return ranges.map(([from, to]) => {
    const slice = lines.slice(from, to + 1);
    const firstOld = slice.find((l) => l.oldNo !== undefined)?.oldNo;
    const firstNew = slice.find((l) => l.newNo !== undefined)?.newNo;
    const oldLines = slice.filter((l) => l.kind !== 'add').length;
    const newLines = slice.filter((l) => l.kind !== 'del').length;
    return {
      oldStart: firstOld ?? previousNo(lines, from, 'oldNo'),
      oldLines,
      newStart: firstNew ?? previousNo(lines, from, 'newNo'),
      newLines,
      lines: slice,
    };
  });
}

function previousNo(lines: readonly DiffLine[], before: number, key: 'oldNo' | 'newNo'): number {
  for (let i = before - 1; i >= 0; i--) {
    const n = lines[i]![key];
    if (n !== undefined) return n;
  }
  return 0;
}

export function diffStats(lines: readonly DiffLine[]): { added: number; removed: number } {
  let added = 0;
  let removed = 0;
  for (const l of lines) {
    if (l.kind === 'add') added++;
    else if (l.kind === 'del') removed++;
  }
  return { added, removed };
}
