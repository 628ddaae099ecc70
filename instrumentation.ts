/**
 * Next.js calls register() once when the server starts: the backfill worker runs inside the
 * console (DESIGN.md § Runtime), only in the Node.js runtime (not Edge, not the browser).
 */
export async function register(): Promise<void> {
  if (process.env.NEXT_RUNTIME !== 'nodejs') return;
  const { startConsoleWorker } = await import('./lib/worker/console-worker');
  startConsoleWorker();
}
