import { InvalidArgumentError } from 'commander';

/** Commander parsers; their errors are usage errors (exit 2). */
export function parseMilliseconds(value: string): number {
  if (!/^\d+$/.test(value.trim()))
    throw new InvalidArgumentError('must be a whole number of milliseconds');
  return Number(value);
}
