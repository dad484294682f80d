import { useSyncExternalStore } from 'react';

const never = () => () => {};

/**
 * False in the markup the server renders (the tracker's first view, lcp23) and while the browser hydrates it; true
 * once React answers events. A button drawn by the server looks ready before the page's script has run: a tap then
 * goes nowhere (fin28: a patient's "30 min late" was lost). Controls disabled until this is true wait instead.
 */
export function useHydrated(): boolean {
  return useSyncExternalStore(
    never,
    () => true,
    () => false,
  );
}
