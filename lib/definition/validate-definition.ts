import type { z } from 'zod';
import { definition, type Definition } from './definition';
import { DefinitionError, type FieldIssue } from '../errors';

/**
 * The boundary for definitions that arrive as data (a JSON file, an API body): zod's issues
 * become DefinitionError issues whose field is the path, e.g. `aggregates.0.fn`.
 */
export function validateDefinition(input: unknown): Definition {
  const parsed = definition.safeParse(input);
  if (!parsed.success) throw new DefinitionError(zodIssues(parsed.error));
  return parsed.data;
}

export function zodIssues(error: z.ZodError): FieldIssue[] {
  return error.issues.map((i) => ({
    field: i.path.length ? i.path.map(String).join('.') : 'definition',
    message: i.message,
  }));
}

/** A definition JSON document; `field` names where it came from (e.g. "file"). */
export function parseDefinitionJson(text: string, field = 'file'): Definition {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (e) {
    throw DefinitionError.single(field, `is not valid JSON: ${(e as Error).message}`);
  }
  return validateDefinition(value);
}
