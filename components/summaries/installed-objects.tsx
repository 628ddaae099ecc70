import type { InstalledObjectView } from '@/lib/summary/summary-views';
import { Badge, type BadgeTone } from '@/components/ui/badge';
import { DataTable, TBody, Td, Th, THead, Tr } from '@/components/ui/data-table';

function state(o: InstalledObjectView): { label: string; tone: BadgeTone } {
  if (!o.exists) return { label: 'missing', tone: 'red' };
  if (o.triggerState === 'disabled') return { label: 'disabled', tone: 'red' };
  if (o.triggerState === 'replica') return { label: 'replica only', tone: 'red' };
  if (o.triggerState === 'always') return { label: 'always', tone: 'green' };
  return { label: o.kind === 'trigger' ? 'enabled' : 'present', tone: 'green' };
}

/** Everything the summary installed, as pg_catalog has it now. */
export function InstalledObjects({ objects }: { objects: readonly InstalledObjectView[] }) {
  return (
    <DataTable caption="Installed objects, verified against pg_catalog">
      <THead>
        <tr>
          <Th>Object</Th>
          <Th>Role</Th>
          <Th>On</Th>
          <Th>State</Th>
        </tr>
      </THead>
      <TBody>
        {objects.map((o) => {
          const s = state(o);
          return (
            <Tr key={`${o.kind}:${o.schema}.${o.name}:${o.on ?? ''}`}>
              <Td className="font-mono text-[13px]">
                <span className="text-zinc-500 dark:text-zinc-400">{o.kind} </span>
                {o.kind === 'trigger' ? o.name : `${o.schema}.${o.name}`}
              </Td>
              <Td className="text-zinc-600 dark:text-zinc-300">{o.role}</Td>
              <Td className="font-mono text-[13px] text-zinc-600 dark:text-zinc-300">
                {o.on ?? '—'}
              </Td>
              <Td>
                <Badge tone={s.tone} title={o.problem}>
                  {s.label}
                </Badge>
                {o.problem && o.problem !== 'missing' && (
                  <p className="mt-1 max-w-sm text-xs text-red-700 dark:text-red-400">
                    {o.problem}
                  </p>
                )}
              </Td>
            </Tr>
          );
        })}
      </TBody>
    </DataTable>
  );
}
