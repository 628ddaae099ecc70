'use client';

import Link from 'next/link';
import { usePathname } from 'next/navigation';
import { buttonClass } from './button-class';

/** A failed load: what went wrong (psql-style text is kept as-is) and a way to retry. */
export function ErrorPanel({
  title = 'Could not load this page',
  error,
  onRetry,
}: {
  title?: string;
  error: unknown;
  onRetry?: () => void;
}) {
  const pathname = usePathname();
  const message = error instanceof Error ? error.message : String(error);
  // The session ran out while the page was open: offer to sign in and come back.
  const signedOut = error instanceof Error && 'status' in error && error.status === 401;
  return (
    <div
      role="alert"
      className="rounded-lg border border-red-200 bg-red-50 p-4 text-sm text-red-900 dark:border-red-900/60 dark:bg-red-950/40 dark:text-red-200"
    >
      <p className="font-semibold">{signedOut ? 'Your session has ended' : title}</p>
      <pre className="mt-2 whitespace-pre-wrap break-words font-mono text-xs">{message}</pre>
      {signedOut ? (
        <Link
          href={`/signin?next=${encodeURIComponent(pathname)}`}
          className={buttonClass('secondary', 'mt-3')}
        >
          Sign in again
        </Link>
      ) : (
        onRetry && (
          <button type="button" onClick={onRetry} className={buttonClass('secondary', 'mt-3')}>
            Try again
          </button>
        )
      )}
    </div>
  );
}
