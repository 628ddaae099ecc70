import { errorHttpStatus, formatError } from '@/lib/errors';
import { isMutationMethod, requireUser, type User } from '@/lib/auth/require-user';

/**
 * Every API route handler is built with this: it calls `requireUser` first (the proxy checked
 * too; this is the second wall), treats every method but GET/HEAD as a mutation, and maps
 * core errors to JSON `{ error }` with the status from `errorHttpStatus`.
 */
export function apiRoute<Context>(
  handler: (args: { request: Request; user: User; context: Context }) => Promise<unknown>,
): (request: Request, context: Context) => Promise<Response> {
  return async (request, context) => {
    const auth = requireUser(request, { mutation: isMutationMethod(request.method) });
    if (!auth.ok) return Response.json({ error: auth.message }, { status: auth.status });
    try {
      const result = await handler({ request, user: auth.user, context });
      return result instanceof Response ? result : Response.json(result);
    } catch (e) {
      const status = errorHttpStatus(e);
      if (status >= 500) console.error(e);
      return Response.json({ error: formatError(e) }, { status });
    }
  };
}
