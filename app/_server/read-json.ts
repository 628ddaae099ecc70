import type { z } from 'zod';
import { DefinitionError } from '@/lib/errors';
import { zodIssues } from '@/lib/definition/validate-definition';

/** The request body parsed with its zod schema; bad JSON or shape is a DefinitionError (400). */
export async function readJson<S extends z.ZodType>(
  request: Request,
  schema: S,
): Promise<z.infer<S>> {
  let body: unknown;
  try {
    body = await request.json();
  } catch {
    throw DefinitionError.single('body', 'is not valid JSON');
  }
  const parsed = schema.safeParse(body);
  if (!parsed.success) throw new DefinitionError(zodIssues(parsed.error));
  return parsed.data;
}
