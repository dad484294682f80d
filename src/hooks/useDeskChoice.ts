/**
 * "Calling for": the desk a staff member calls patients for. Every choice is a practitioner (with their
 * room), because a call needs someone who serves the patient — "any doctor" is a pool, not a desk.
 *
 * - a practitioner or owner starts on their own desk;
 * - anyone else (a receptionist) starts on the desk they chose last time in this browser, else on the
 *   first practitioner of the clinic;
 * - the choice is remembered per clinic and staff member (localStorage), so a reload keeps it.
 */
import { useCallback, useMemo, useState } from 'react';

export interface DeskOption {
  readonly id: string;
  readonly room: string | null;
}

const storageKey = (clinicId: string, memberId: string) => `queuemed.desk.${clinicId}.${memberId}`;

function readStored(key: string): string | null {
  try {
    return window.localStorage.getItem(key);
  } catch {
    return null; // storage disabled (private mode): the default still works
  }
}

function writeStored(key: string, value: string): void {
  try {
    window.localStorage.setItem(key, value);
  } catch {
    /* not remembered, still used for this session */
  }
}

/** The chosen desk among `desks` (null only when the clinic has no practitioner), and a setter. */
export function useDeskChoice<D extends DeskOption>(
  member: { readonly id: string; readonly clinicId: string; readonly role: string },
  desks: readonly D[],
): { desk: D | null; chooseDesk: (id: string) => void } {
  const key = storageKey(member.clinicId, member.id);
  const [chosen, setChosen] = useState<string | null>(() => readStored(key));
  const desk = useMemo(() => {
    const byId = (id: string | null) => (id === null ? undefined : desks.find((d) => d.id === id));
    const own = member.role === 'practitioner' || member.role === 'owner' ? member.id : null;
    return byId(chosen) ?? byId(own) ?? desks[0] ?? null;
  }, [chosen, desks, member.id, member.role]);
  const chooseDesk = useCallback(
    (id: string) => {
      setChosen(id);
      writeStored(key, id);
    },
    [key],
  );
  return { desk, chooseDesk };
}
