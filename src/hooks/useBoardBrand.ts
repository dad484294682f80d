/** The public board's branding (board20): its own module, so only the board carries it (not the tracker). */
import { useEffect, useState } from 'react';
import type { BoardBranding } from '../services/queue/api/boardBranding';
import { usePublicScreens } from './PublicScreensContext';

export type { BoardBranding };

/**
 * The board's logo and colours (board20), read once for the clinic; null until read, and when the read fails (the
 * board then keeps its own colours: branding never stops the queue from showing).
 */
export function useBoardBranding(clinicId: string | undefined): BoardBranding | null {
  const port = usePublicScreens();
  const [branding, setBranding] = useState<BoardBranding | null>(null);
  useEffect(() => {
    if (!clinicId) return;
    let alive = true;
    void port()
      .then((repo) => repo.boardBranding(clinicId))
      .then(
        (r) => {
          if (alive && r.ok) setBranding(r.value);
        },
        () => undefined,
      );
    return () => {
      alive = false;
    };
  }, [port, clinicId]);
  return branding;
}
