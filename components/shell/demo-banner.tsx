export function DemoBanner() {
  return (
    <div
      role="note"
      className="border-b border-amber-200 bg-amber-50 px-6 py-2 text-sm text-amber-900 dark:border-amber-900/60 dark:bg-amber-950/40 dark:text-amber-200"
    >
      <strong className="font-semibold">Demo mode — no sign-in: listening on loopback only.</strong>{' '}
      <span className="text-amber-800/90 dark:text-amber-200/80">
        Set TALLY_PASSWORD to require a password.
      </span>
    </div>
  );
}
