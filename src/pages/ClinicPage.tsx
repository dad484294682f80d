/** A clinic's public page and the booking flow: type → day → free slot → confirm → ticket + tracking link. */
import { useId, useRef, useState } from 'react';
import { useTranslation } from '../i18n/TranslatorContext';
import { usePageStrings } from '../i18n/pageStrings';
import { AppShell } from '../components/AppShell';
import { useToast } from '../components/Toasts';
import { Link, searchParam } from '../components/router';
import { Button, Card, Field, Input, LoadingBlock } from '../components/ui';
import { useSession } from '../hooks/useAuth';
import {
  useBooking,
  useFluidDays,
  useFreeSlots,
  useMyPatientName,
  usePublicClinic,
  type BookingWithLink,
  type FluidBookingWithLink,
  type PublicClinic,
} from '../hooks/useBooking';
import { useClinicTime } from '../hooks/useClinicTime';
import { useLanguage } from '../hooks/useLanguage';
import { ClinicInfo, ClinicMissing } from './clinic/ClinicInfo';
import { RemoteJoinCard, useRemoteJoinCardSettled } from './clinic/RemoteJoinCard';
import { ContactChoice, phoneNotConfirmed, useContactChoice } from './clinic/ContactChoice';
import { SlotPicker, bookableDays } from './clinic/SlotPicker';
import { FluidDayPicker } from './clinic/FluidDayPicker';
import { addDays, formatCalendarDay } from '../components/format';
import { TRACKING_STORAGE_KEY, rememberTrackingLink } from './clinic/trackingLinks';
import { useSingleFlight } from '../hooks/useSingleFlight';
import { TypeButtons } from './clinic/TypeButtons';
import { DoctorButtons, doctorsOffering } from './clinic/DoctorButtons';
import { BookedCard } from './clinic/BookedCard';

// The desk's "Book a visit" (issue 17) takes the pickers from here (from ./clinic: a chunk, My visits +0.5 KiB)
export { TRACKING_STORAGE_KEY, FluidDayPicker, SlotPicker, bookableDays };

export default function ClinicPage({ params }: { params: Record<string, string> }) {
  const { t } = useTranslation();
  const [clinic, user] = [usePublicClinic(params.slug), useSession()];
  const strings = usePageStrings('booking', true); // `booking.*` come with the booking screens (issue 14)
  const settled = useRemoteJoinCardSettled(clinic.data?.id, user); // all above the types is in (flakewl19)
  return (
    <AppShell nav={user ? [{ to: '/me', label: t('nav.myVisits') }] : []}>
      {clinic.isPending || !strings || (clinic.data && !settled) ? (
        <LoadingBlock label={t('common.loading')} />
      ) : !clinic.data ? (
        <ClinicMissing error={clinic.error} />
      ) : (
        <div className="grid grid-cols-1 gap-6 lg:grid-cols-[1fr_2fr] [&>*]:min-w-0">
          <ClinicInfo c={clinic.data} />
          <div className="flex flex-col gap-6 [&>*]:min-w-0">
            <RemoteJoinCard clinicId={clinic.data.id} slug={clinic.data.slug} signedIn={!!user} />
            <BookingFlow c={clinic.data} signedIn={!!user} />
          </div>
        </div>
      )}
    </AppShell>
  );
}

function BookingFlow({ c, signedIn }: { c: PublicClinic; signedIn: boolean }) {
  const { t, i18n } = useTranslation();
  const { lng } = useLanguage();
  const toast = useToast();
  const clinicTime = useClinicTime(c.id, i18n.language);
  const today = clinicTime?.today ?? '';
  // The choice survives "Sign in with your phone" (issue 15.9): it travels in the sign-in link's `next`
  // address (?type=&day=&slot=) and is read back here; a value that no longer fits is simply not chosen.
  const [typeId, setTypeId] = useState<string | null>(() => {
    const asked = searchParam('type');
    return c.appointmentTypes.some((ty) => ty.id === asked) ? asked : (c.appointmentTypes[0]?.id ?? null);
  });
  const [picked, setDay] = useState<string | null>(() => {
    const asked = searchParam('day');
    return asked && /^\d{4}-\d{2}-\d{2}$/.test(asked) ? asked : null;
  });
  const [chosenSlot, setSlot] = useState<string | null>(() => searchParam('slot'));
  // issue 17 (doctor20): "any doctor" (null) or one who offers the type; a doctor who does not (another type
  // chosen, or the link names someone else) is simply not chosen
  const [chosenDoctor, setDoctor] = useState<string | null>(() => searchParam('doctor'));
  // null until the patient types: a returning patient's name is proposed from the server
  const [typedName, setName] = useState<string | null>(null);
  const [nameMissing, setNameMissing] = useState(false);
  const nameRef = useRef<HTMLInputElement>(null);
  const nameErrorId = useId();
  const [booked, setBooked] = useState<BookingWithLink | FluidBookingWithLink | null>(null);
  const booking = useBooking();
  const book = useSingleFlight(booking.book);
  const bookFluid = useSingleFlight(booking.bookFluid);
  // a fluid visit type (issue 17): a place in a day's line, no time — days with places instead of a slot grid
  const fluid = c.appointmentTypes.find((ty) => ty.id === typeId)?.bookingMode === 'fluid';
  // "any doctor" or one who offers the type, for a slot or a fluid place alike (F7: a fluid place with a doctor is
  // in that doctor's line; the days then leave out their leave and days off)
  const doctors = doctorsOffering(c, typeId);
  const doctorId = doctors.find((d) => d.id === chosenDoctor)?.id ?? null;
  const fluidDays = useFluidDays(
    fluid && today
      ? {
          clinicId: c.id,
          from: today,
          to: addDays(today, 13),
          appointmentTypeId: typeId,
          practitionerId: doctorId,
        }
      : null,
  );
  const myName = useMyPatientName(c.id, signedIn);
  const contact = useContactChoice(c.id, signedIn);
  const name = typedName ?? myName.data?.fullName ?? '';
  const needsName = !myName.data?.known;
  const days = bookableDays(c, today);
  const day = picked && (days.length === 0 || days.includes(picked)) ? picked : today;
  const slots = useFreeSlots(
    day && !fluid
      ? { clinicId: c.id, from: day, to: day, appointmentTypeId: typeId, practitionerId: doctorId }
      : null,
  );
  const slot = chosenSlot && slots.data?.some((s) => s.start === chosenSlot) ? chosenSlot : null;
  const fluidDay = fluid && picked && fluidDays.data?.some((d) => d.day === picked) ? picked : null;
  const ready = fluid ? fluidDay !== null : slot !== null;
  const signInNext = `/c/${c.slug}?${new URLSearchParams({
    ...(typeId ? { type: typeId } : {}),
    ...(doctorId ? { doctor: doctorId } : {}),
    ...(day ? { day } : {}),
    ...(slot ? { slot } : {}),
  }).toString()}`;
  const confirm = () => {
    if (needsName && !name.trim()) {
      setNameMissing(true);
      nameRef.current?.focus();
      return;
    }
    if (!ready || !contact.check()) return;
    const done = {
      onSuccess: (b: BookingWithLink | FluidBookingWithLink) => {
        rememberTrackingLink(b.entryId, b.trackingToken);
        setBooked(b);
        contact.saveAfterBooking();
      },
      onError: (e: { code: string }) => {
        // the server's "a name is required" belongs on the field too
        if (e.code === 'VALIDATION.FAILED' && needsName) {
          setNameMissing(true);
          nameRef.current?.focus();
        } else toast.error(e as Parameters<typeof toast.error>[0]);
      },
    };
    if (fluid && fluidDay) {
      bookFluid.mutate(
        {
          clinicId: c.id,
          day: fluidDay,
          appointmentTypeId: typeId,
          practitionerId: doctorId,
          fullName: name.trim() || null,
          language: lng,
        },
        done,
      );
      return;
    }
    if (!slot) return;
    book.mutate(
      {
        clinicId: c.id,
        slotStart: slot,
        appointmentTypeId: typeId,
        practitionerId: doctorId,
        fullName: name.trim() || null,
        language: lng,
      },
      done,
    );
  };

  if (booked)
    return (
      <BookedCard
        booked={booked}
        doctor={doctors.find((d) => d.id === doctorId)?.displayName ?? undefined}
        dateTimeOf={(iso) => clinicTime?.dateTime(iso) ?? ''}
      />
    );

  return (
    <Card aria-labelledby="book-title">
      <h2 id="book-title" className="mb-4 text-xl font-bold">
        {t('booking.title')}
      </h2>
      <fieldset className="mb-5 min-w-0">
        <legend className="mb-2 text-sm font-semibold">1 · {t('booking.step1')}</legend>
        <TypeButtons
          types={c.appointmentTypes}
          typeId={typeId}
          onPick={(id) => {
            setTypeId(id);
            setSlot(null);
          }}
        />
      </fieldset>
      {doctors.length > 0 && (
        <DoctorButtons
          doctors={doctors}
          doctorId={doctorId}
          onPick={(id) => {
            setDoctor(id);
            setSlot(null);
          }}
          legend={t('booking.doctorLegend')}
        />
      )}
      {fluid ? (
        <FluidDayPicker
          days={fluidDays}
          day={fluidDay}
          onDay={(d) => {
            setDay(d);
            setSlot(null);
          }}
          legend={`2 · ${t('booking.fluidLegend')}`}
        />
      ) : (
        <SlotPicker
          days={days}
          day={day}
          onDay={(d) => {
            setDay(d);
            setSlot(null);
          }}
          slots={slots}
          slot={slot}
          onSlot={setSlot}
          timeOf={(iso) => clinicTime?.time(iso) ?? ''}
          dayLegend={`2 · ${t('booking.step2')}`}
          slotLegend={`3 · ${t('booking.step3')}`}
        />
      )}
      {ready && (
        <div className="flex flex-col gap-3 border-t border-line pt-4">
          <p className="text-sm font-semibold">4 · {t('booking.step4')}</p>
          {signedIn && !phoneNotConfirmed(book.error, bookFluid.error) ? (
            <>
              <Field label={t('booking.yourName')}>
                {(id) => (
                  <>
                    <Input
                      id={id}
                      ref={nameRef}
                      autoComplete="name"
                      dir="auto"
                      required={needsName}
                      aria-invalid={nameMissing || undefined}
                      aria-describedby={nameMissing ? nameErrorId : undefined}
                      value={name}
                      onChange={(e) => {
                        setName(e.target.value);
                        if (e.target.value.trim()) setNameMissing(false);
                      }}
                    />
                    {nameMissing && (
                      <p
                        id={nameErrorId}
                        data-testid="name-error"
                        className="text-sm font-medium text-danger-700"
                      >
                        {t('booking.nameRequired')}
                      </p>
                    )}
                  </>
                )}
              </Field>
              <ContactChoice state={contact} />
              <Button size="lg" busy={book.isPending || bookFluid.isPending} onClick={confirm}>
                {fluid && fluidDay
                  ? t('booking.takePlace', { day: formatCalendarDay(fluidDay, i18n.language) })
                  : `${t('booking.confirm')} · ${slot ? (clinicTime?.time(slot) ?? '') : ''}`}
              </Button>
            </>
          ) : (
            <Link
              to={`/sign-in?as=patient&next=${encodeURIComponent(signInNext)}`}
              className="inline-flex min-h-11 items-center justify-center rounded-xl bg-brand-700 px-4 font-semibold text-white"
            >
              {t('booking.signInFirst')}
            </Link>
          )}
        </div>
      )}
    </Card>
  );
}
