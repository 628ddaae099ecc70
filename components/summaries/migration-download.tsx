'use client';

import { useId, useMemo, useState } from 'react';
import {
  exportMigration,
  MIGRATION_FORMAT_LABELS,
  MIGRATION_FORMATS,
  type MigrationFormat,
} from '@/lib/migration-export/export-migration';
import type { PreviewSuccess } from '@/lib/summary/summary-views';
import { buttonClass } from '@/components/ui/button-class';
import { cn } from '@/components/ui/cn';
import { inputClass } from '@/components/ui/input-class';
import { labelClass } from './field-issues';

function download(path: string, content: string): void {
  const url = URL.createObjectURL(new Blob([content], { type: 'text/plain;charset=utf-8' }));
  const a = document.createElement('a');
  a.href = url;
  a.download = path.split('/').pop()!;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/**
 * The generated SQL as migration files for the team's own tool, built in the browser by the
 * pure exporter (lib/migration-export). One button per file: the path shows where it goes.
 */
export function MigrationDownload({ preview }: { preview: PreviewSuccess }) {
  const [format, setFormat] = useState<MigrationFormat>('plain');
  const [populate, setPopulate] = useState(true);
  // the version stamp: fixed while the page is open so repeated downloads agree
  const [at] = useState(() => new Date());
  const formatId = useId();
  const populateId = useId();
  const files = useMemo(
    () =>
      exportMigration(
        {
          name: preview.definition.name,
          concurrentIndexes: preview.concurrentIndexes,
          install: preview.install,
          populate: populate ? preview.populate : '',
          uninstall: preview.uninstall,
          lockTimeoutMs: preview.lockTimeoutMs,
          warnings: preview.warnings,
        },
        format,
        { at },
      ),
    [preview, format, populate, at],
  );

  return (
    <div className="space-y-3">
      <div className="flex flex-wrap items-end gap-4">
        <div>
          <label htmlFor={formatId} className={labelClass}>
            Migration tool
          </label>
          <select
            id={formatId}
            value={format}
            onChange={(e) => setFormat(e.target.value as MigrationFormat)}
            className={cn(inputClass, 'w-56 pr-8')}
          >
            {MIGRATION_FORMATS.map((f) => (
              <option key={f} value={f}>
                {MIGRATION_FORMAT_LABELS[f]}
              </option>
            ))}
          </select>
        </div>
        <div className="flex items-center gap-2 pb-1.5">
          <input
            id={populateId}
            type="checkbox"
            checked={populate}
            onChange={(e) => setPopulate(e.target.checked)}
            className="size-4 rounded border-zinc-300 accent-zinc-900 dark:accent-zinc-100"
          />
          <label htmlFor={populateId} className="text-sm text-zinc-700 dark:text-zinc-300">
            Fill it in the migration (one INSERT … SELECT, under the trigger lock)
          </label>
        </div>
      </div>
      <ul className="divide-y divide-zinc-100 rounded-md border border-zinc-200 dark:divide-zinc-800 dark:border-zinc-800">
        {files.map((f) => (
          <li key={f.path} className="flex items-center justify-between gap-3 px-3 py-1.5">
            <span
              className="min-w-0 truncate font-mono text-xs text-zinc-700 dark:text-zinc-300"
              title={f.path}
            >
              {f.path}
            </span>
            <button
              type="button"
              className={buttonClass('secondary', 'shrink-0 px-2 py-1 text-xs')}
              onClick={() => download(f.path, f.content)}
              aria-label={`Download ${f.path}`}
            >
              Download
            </button>
          </li>
        ))}
      </ul>
    </div>
  );
}
