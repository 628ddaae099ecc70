import type { SVGProps } from 'react';

/** Outline icons (24px grid, 1.5 stroke), drawn here so the shell has no icon dependency. */
const ICON_PATHS = {
  catalog:
    'M4 6c0-1.7 3.6-3 8-3s8 1.3 8 3-3.6 3-8 3-8-1.3-8-3Zm0 0v12c0 1.7 3.6 3 8 3s8-1.3 8-3V6M4 12c0 1.7 3.6 3 8 3s8-1.3 8-3',
  summaries: 'M3 5h18M3 5v14h18V5M3 10h18M3 15h18M9 10v9',
  audit: 'M9 5h10M9 12h10M9 19h10M5 5h.01M5 12h.01M5 19h.01',
  drift: 'M3 12h4l3-7 4 14 3-7h4',
  latency: 'M12 13l4-4M21 13a9 9 0 1 0-18 0M12 13h.01',
  settings: 'M4 6h10M18 6h2M4 12h4M12 12h8M4 18h12M20 18h0M14 4v4M8 10v4M16 16v4',
} as const;

export type NavIconName = keyof typeof ICON_PATHS;

export function NavIcon({ name, ...props }: { name: NavIconName } & SVGProps<SVGSVGElement>) {
  return (
    <svg
      viewBox="0 0 24 24"
      fill="none"
      stroke="currentColor"
      strokeWidth={1.5}
      strokeLinecap="round"
      strokeLinejoin="round"
      aria-hidden="true"
      {...props}
    >
      <path d={ICON_PATHS[name]} />
    </svg>
  );
}
