import { DefinitionError, errorHttpStatus, formatError } from '@/lib/errors';

/**
 * Bad input to a mutation answers 400 with the field issues as well as the text, so the form
 * can put each message on its field (api-route.ts would keep only the text).
 */
export function definitionErrorResponse(e: unknown): Response | null {
  if (!(e instanceof DefinitionError)) return null;
  return Response.json(
    {
      error: formatError(e),
      issues: e.issues.map((i) => ({
        field: i.field,
        message: i.message,
        ...(i.position !== undefined ? { position: i.position } : {}),
        ...(i.hint !== undefined ? { hint: i.hint } : {}),
      })),
    },
    { status: errorHttpStatus(e) },
  );
}
