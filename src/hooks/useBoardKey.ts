/**
 * The waiting-room screen's board key (board18): staff pair a board in admin (Queue rules → Board screens), which
 * gives a link `/board/<clinic>#key=<key>` to open once on the TV. The key travels in the fragment (never sent to a
 * server, so never in its logs), is taken off the address at once (history.replaceState: a reload, a bookmark or
 * the address bar no longer hold it) and kept in this browser's localStorage for that board address. It is not a
 * staff credential: it only lets get_waiting_board show the names the clinic shows (docs/security.md). Forgotten
 * when the database says it is no pairing of this clinic's board (unpaired, or another clinic's).
 */
import { useCallback, useEffect, useMemo, useState } from 'react';

export const BOARD_KEY_PREFIX = 'queuemed.board.key:';

/** The key of a pairing link in the address's fragment; null when there is none. */
const keyInAddress = (): string | null =>
  /[#&]key=([0-9a-f]{32,200})(?=&|$)/.exec(window.location.hash)?.[1] ?? null;

function stored(address: string): string | null {
  try {
    return window.localStorage.getItem(BOARD_KEY_PREFIX + address);
  } catch {
    return null; // storage disabled: the link's key lives in this page only
  }
}

function store(address: string, key: string | null) {
  try {
    if (key === null) window.localStorage.removeItem(BOARD_KEY_PREFIX + address);
    else window.localStorage.setItem(BOARD_KEY_PREFIX + address, key);
  } catch {
    /* kept in memory only */
  }
}

/** This screen's board key for the board address (slug or id) it shows, and a way to forget it. */
export function useBoardKey(address: string | undefined): { key: string | null; forget: () => void } {
  const [fromLink] = useState(keyInAddress);
  // the link's key leaves the address once read (it is kept in storage below)
  useEffect(() => {
    if (fromLink && keyInAddress() === fromLink)
      window.history.replaceState(
        window.history.state,
        '',
        window.location.pathname + window.location.search,
      );
  }, [fromLink]);
  const [forgotten, setForgotten] = useState<string | null>(null);
  const key = useMemo(() => {
    if (!address) return null;
    if (fromLink && forgotten !== fromLink) {
      store(address, fromLink);
      return fromLink;
    }
    const k = stored(address);
    return k === forgotten ? null : k;
  }, [address, fromLink, forgotten]);
  const forget = useCallback(() => {
    if (address) store(address, null);
    setForgotten(key);
  }, [address, key]);
  return { key, forget };
}
