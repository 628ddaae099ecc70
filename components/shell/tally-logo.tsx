/** The mark: four tally strokes and a slash, as in counting. */
export function TallyLogo({ className }: { className?: string }) {
  return (
    <svg viewBox="0 0 32 32" className={className} aria-hidden="true">
      <rect width="32" height="32" rx="7" className="fill-zinc-900 dark:fill-zinc-100" />
      <g className="stroke-white dark:stroke-zinc-900" strokeWidth="2.4" strokeLinecap="round">
        <path d="M9 9v14M13.3 9v14M17.6 9v14M21.9 9v14" />
        <path d="M6.5 20.5 24.5 11.5" className="stroke-sky-400 dark:stroke-sky-600" />
      </g>
    </svg>
  );
}
