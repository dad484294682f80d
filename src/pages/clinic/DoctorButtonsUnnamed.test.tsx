// @vitest-environment jsdom
// fix21d: the public clinic page answers a doctor whose stored name held an e-mail address with a null name
// (get_public_clinic, 20261221950001). The doctor stays bookable, under a neutral label in the reader's language —
// never an empty button, never an address.
import { cleanup, fireEvent, screen } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createInMemoryServices } from '../../services/composition/inMemory';
import { ManualClock } from '../../services/shared/Clock';
import { renderWithServices } from '../../../test/fixtures/renderWithServices';
import { bookingAr } from '../../i18n/locales/ui/booking.ar';
import { bookingEn } from '../../i18n/locales/ui/booking.en';
import { bookingFr } from '../../i18n/locales/ui/booking.fr';
import { DoctorButtons } from './DoctorButtons';

afterEach(() => cleanup());

const STRINGS = { en: bookingEn, fr: bookingFr, ar: bookingAr } as const;

describe('DoctorButtons', () => {
  it.each(['en', 'fr', 'ar'] as const)(
    'fix21d: a doctor without a public name is offered as “Doctor n” and can be picked (%s)',
    async (lng) => {
      const m = createInMemoryServices({ actorId: null, clock: new ManualClock('2026-11-24T09:00:00Z') });
      const onPick = vi.fn();
      await renderWithServices(
        <DoctorButtons
          doctors={[
            { id: 'a', displayName: 'Dr Alami' },
            { id: 'b', displayName: null },
          ]}
          doctorId={null}
          onPick={onPick}
          legend={STRINGS[lng].doctorLegend}
        />,
        m.services,
        { page: 'booking', lng },
      );
      const label = STRINGS[lng].unnamedDoctor.replace('{{n}}', '2');
      fireEvent.click(screen.getByRole('button', { name: label }));
      expect(onPick).toHaveBeenCalledWith('b');
      expect(screen.getByRole('button', { name: 'Dr Alami' })).toBeTruthy();
      expect(screen.getAllByRole('button').map((b) => b.textContent)).not.toContain('');
    },
  );
});
