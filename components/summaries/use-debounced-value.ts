import { useEffect, useState } from 'react';

/** `value` once it has stopped changing for `ms`. Compare by value: pass a string. */
export function useDebouncedValue<T extends string | number | boolean | null>(
  value: T,
  ms: number,
): T {
  const [settled, setSettled] = useState(value);
  useEffect(() => {
    const t = setTimeout(() => setSettled(value), ms);
    return () => clearTimeout(t);
  }, [value, ms]);
  return settled;
}
