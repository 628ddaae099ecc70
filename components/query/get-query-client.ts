import { QueryClient, isServer } from '@tanstack/react-query';

function makeQueryClient(): QueryClient {
  return new QueryClient({
    defaultOptions: {
      queries: {
        // Data prefetched on the server is fresh on arrival; without this the browser would
        // refetch everything right after hydration.
        staleTime: 30_000,
        // 4xx answers are final (not signed in, not found, bad input); retry the rest once.
        retry: (failureCount, error) =>
          !(error instanceof Error && 'status' in error && Number(error.status) < 500) &&
          failureCount < 1,
      },
    },
  });
}

let browserQueryClient: QueryClient | undefined;

/** A new client per server request (no data shared between users); one for the browser tab. */
export function getQueryClient(): QueryClient {
  if (isServer) return makeQueryClient();
  browserQueryClient ??= makeQueryClient();
  return browserQueryClient;
}
