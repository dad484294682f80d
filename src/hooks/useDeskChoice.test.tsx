// @vitest-environment jsdom
import { act, cleanup, renderHook } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { useDeskChoice } from './useDeskChoice';

afterEach(() => {
  cleanup();
  window.localStorage.clear();
});

const desks = [
  { id: 'julien', room: '2' },
  { id: 'karim', room: '3' },
  { id: 'salma', room: '1' },
];
const reception = { id: 'nadia', clinicId: 'c1', role: 'receptionist' };

describe('useDeskChoice ("Calling for")', () => {
  it('a receptionist starts on a doctor, never on "any doctor" (a call needs someone who serves the patient)', () => {
    const { result } = renderHook(() => useDeskChoice(reception, desks));
    expect(result.current.desk).toEqual({ id: 'julien', room: '2' });
  });

  it('a practitioner starts on their own desk', () => {
    const { result } = renderHook(() =>
      useDeskChoice({ id: 'salma', clinicId: 'c1', role: 'practitioner' }, desks),
    );
    expect(result.current.desk?.id).toBe('salma');
  });

  it('the choice survives a reload (per clinic and staff member), and falls back when that doctor left', () => {
    const first = renderHook(() => useDeskChoice(reception, desks));
    act(() => first.result.current.chooseDesk('karim'));
    expect(first.result.current.desk?.id).toBe('karim');
    first.unmount();
    expect(renderHook(() => useDeskChoice(reception, desks)).result.current.desk?.id).toBe('karim');
    expect(
      renderHook(() => useDeskChoice({ ...reception, clinicId: 'c2' }, desks)).result.current.desk?.id,
    ).toBe('julien');
    expect(
      renderHook(() =>
        useDeskChoice(
          reception,
          desks.filter((d) => d.id !== 'karim'),
        ),
      ).result.current.desk?.id,
    ).toBe('julien');
  });

  it('no desk while the clinic has no doctor', () => {
    expect(renderHook(() => useDeskChoice(reception, [])).result.current.desk).toBeNull();
  });
});
