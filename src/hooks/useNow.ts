import { useEffect, useState } from 'react';

/**
 * The current time, re-rendered every `intervalMs` (for countdowns). With `from` (an instant the server gave), the
 * first render shows that instant and the clock is read right after mounting: the server's HTML and the browser's
 * hydration render the same text (lcp23).
 */
export function useNow(intervalMs = 1000, from?: number): number {
  const [now, setNow] = useState(() => from ?? Date.now());
  const given = from !== undefined;
  useEffect(() => {
    if (given) setNow(Date.now());
    const id = setInterval(() => setNow(Date.now()), intervalMs);
    return () => clearInterval(id);
  }, [intervalMs, given]);
  return now;
}
