/**
 * "Book a visit" at the desk (issue 17): a receptionist on the phone books a slot (slotted visit type) or a
 * place in a day's line (fluid type) for a caller — a patient found by the desk's search, or named by phone and
 * name (found again or created by the database). Loaded on demand (React.lazy in DashboardPage) so the
 * dashboard's first render does not carry it. The day / slot choice is the booking page's own (SlotPicker,
 * FluidDayPicker); the rules and their coded errors are the database's (staff_book_appointment /
 * staff_book_fluid_place), in the desk's language. Doctors (DR1) who offer the type (types19), slotted or fluid (F7:
 * the days listed are the doctor's, the place in their line). The confirm is held until the booking settles. */
import { useEffect, useId, useRef, useState } from 'react';
import { useTranslation } from '../../i18n/TranslatorContext';
import { useErrorText, usePageStrings } from '../../i18n/pageStrings';
import { Dialog } from '../../components/Dialog';
import { useToast } from '../../components/Toasts';
import { addDays, formatCalendarDay } from '../../components/format';
import { Button, Field, Input, LoadingBlock, Select, cx } from '../../components/ui';
import { useFluidDays, useFreeSlots, usePublicClinic } from '../../hooks/useBooking';
import { useClinicTime, visitTypeLabel } from '../../hooks/useClinicService';
import { useDeskBook } from '../../hooks/useDeskBooking';
import { preloadPhoneField } from '../../services/shared/phoneField';
// the booking page's pickers, through its module (see the note there: one chunk for them, not two)
import { FluidDayPicker, SlotPicker, bookableDays } from '../ClinicPage';
import { DeskBookingMatches } from './DeskBookingMatches';

type Problem = 'name' | 'phone' | 'pick' | null;

export default function DeskBookingDialog({
  clinicId,
  practitioners, // the clinic's doctors (DR1: active practitioners and owners), as the dashboard lists them
  onClose,
}: {
  clinicId: string;
  practitioners: readonly { readonly id: string; readonly displayName: string; readonly role: string }[];
  onClose: () => void;
}) {
  const { t, i18n } = useTranslation();
  const [records, booking] = [usePageStrings('records'), usePageStrings('booking')]; // + the pickers' strings
  const ready = records && booking;
  const errorText = useErrorText();
  const toast = useToast();
  const ids = useId();
  const clinic = usePublicClinic(clinicId);
  const clinicTime = useClinicTime(clinicId, i18n.language);
  const today = clinicTime?.today ?? '';
  const book = useDeskBook();

  const [phone, setPhone] = useState('');
  const [name, setName] = useState('');
  const [chosen, setChosen] = useState<{ id: string; name: string } | null>(null);
  const [typeId, setTypeId] = useState<string | null>(null);
  const [doctorPick, setDoctorPick] = useState('any'); // the slots or fluid days are this doctor's (H2/H4, F7)
  const [picked, setPicked] = useState<string | null>(null);
  const [slot, setSlot] = useState<string | null>(null);
  const [problem, setProblem] = useState<Problem>(null);
  const [failure, setFailure] = useState<{ code?: string } | null>(null); // a code, worded at render (lazy texts)
  const phoneRef = useRef<HTMLInputElement>(null);
  const nameRef = useRef<HTMLInputElement>(null);
  const pickRef = useRef<HTMLDivElement>(null);

  // the phone parser is a lazy chunk: fetched as the dialog opens, awaited on confirm
  useEffect(() => preloadPhoneField(), []);
  const types = clinic.data?.appointmentTypes ?? [];
  const type = types.find((x) => x.id === typeId) ?? types[0] ?? null;
  const fluid = type?.bookingMode === 'fluid';
  const offer = type?.practitionerIds; // the doctors who offer the type (null: every doctor)
  const doctor = offer && !offer.includes(doctorPick) ? 'any' : doctorPick;
  const days = clinic.data ? bookableDays(clinic.data, today) : [];
  const day = picked && days.includes(picked) ? picked : (days[0] ?? null);
  const practitionerId = doctor === 'any' ? null : doctor;
  const slots = useFreeSlots(
    !fluid && day && type ? { clinicId, from: day, appointmentTypeId: type.id, practitionerId } : null,
  );
  const fluidDays = useFluidDays(
    fluid && today && type
      ? { clinicId, from: today, to: addDays(today, 13), appointmentTypeId: type.id, practitionerId } // F7
      : null,
  );
  const chosenSlot = slot && slots.data?.some((s) => s.start === slot) ? slot : null;
  const fluidDay = fluid && picked && fluidDays.data?.some((d) => d.day === picked) ? picked : null;

  const confirm = () => {
    setFailure(null);
    if (!chosen && !phone.trim()) {
      setProblem('phone');
      phoneRef.current?.focus();
      return;
    }
    if (!chosen && !name.trim()) {
      setProblem('name');
      nameRef.current?.focus();
      return;
    }
    if (!type || (fluid ? !fluidDay : !chosenSlot)) {
      setProblem('pick');
      pickRef.current?.focus();
      return;
    }
    setProblem(null);
    return book
      .mutateAsync({
        clinicId,
        patient: chosen
          ? { patientId: chosen.id }
          : { fullName: name.trim(), phone: phone.trim(), language: null },
        ...(fluid ? { day: fluidDay } : { slotStart: chosenSlot }),
        appointmentTypeId: type.id,
        practitionerId,
      })
      .then((b) => {
        const who = chosen?.name ?? (b.patient.fullName || name.trim());
        toast.ok(
          b.slotStart === null
            ? t('records.bookDoneDay', {
                ticket: b.ticket,
                name: who,
                day: formatCalendarDay(b.day, i18n.language),
              })
            : t('records.bookDoneSlot', {
                ticket: b.ticket,
                name: who,
                when: `${formatCalendarDay(b.day, i18n.language)} ${clinicTime?.time(b.slotStart) ?? ''}`,
              }),
        );
        onClose();
      })
      .catch((e: { code?: string }) => {
        if (e.code === 'PHONE.INVALID') {
          setProblem('phone');
          phoneRef.current?.focus();
          return;
        }
        setFailure({ code: e.code });
      });
  };

  const hint = (p: Problem, key: string) =>
    problem === p ? (
      <p id={`${ids}-${p}`} role="alert" className="text-sm font-medium text-danger-700">
        {key}
      </p>
    ) : null;

  return (
    <Dialog
      open
      title={ready ? t('records.bookTitle') : t('dash.bookVisit')}
      description={ready ? t('records.bookHint') : undefined}
      confirmLabel={ready ? t('records.bookConfirm') : t('dash.bookVisit')}
      busy={book.isPending}
      onClose={onClose}
      onConfirm={confirm}
    >
      {!ready || clinic.isPending ? (
        <LoadingBlock rows={3} label={t('common.loading')} />
      ) : (
        <div className="flex max-h-[60vh] flex-col gap-3 overflow-y-auto" data-testid="desk-booking">
          {chosen ? (
            <div className="flex flex-wrap items-center gap-2 rounded-xl bg-brand-50 p-3">
              <p className="font-semibold" data-testid="desk-booking-patient">
                {t('records.bookFor', { name: chosen.name })}
              </p>
              <Button size="sm" variant="ghost" onClick={() => setChosen(null)}>
                {t('records.bookOther')}
              </Button>
            </div>
          ) : (
            <>
              <Field label={t('records.bookPhone')}>
                {(id) => (
                  <Input
                    id={id}
                    ref={phoneRef}
                    type="tel"
                    dir="ltr"
                    inputMode="tel"
                    autoComplete="off"
                    autoFocus
                    maxLength={40}
                    value={phone}
                    aria-invalid={problem === 'phone' || undefined}
                    aria-describedby={problem === 'phone' ? `${ids}-phone` : undefined}
                    onChange={(e) => {
                      setPhone(e.target.value);
                      if (problem === 'phone') setProblem(null);
                    }}
                  />
                )}
              </Field>
              {hint('phone', phone.trim() ? errorText('PHONE.INVALID') : t('records.bookPhoneRequired'))}
              <Field label={t('records.bookName')}>
                {(id) => (
                  <Input
                    id={id}
                    ref={nameRef}
                    dir="auto"
                    autoComplete="off"
                    maxLength={200}
                    value={name}
                    aria-invalid={problem === 'name' || undefined}
                    aria-describedby={problem === 'name' ? `${ids}-name` : undefined}
                    onChange={(e) => {
                      setName(e.target.value);
                      if (problem === 'name') setProblem(null);
                    }}
                  />
                )}
              </Field>
              {hint('name', t('records.bookNameRequired'))}
              <DeskBookingMatches
                clinicId={clinicId}
                typed={phone.trim().length >= 2 ? phone : name}
                onPick={setChosen}
              />
            </>
          )}
          <div className="grid gap-3 sm:grid-cols-2">
            <Field label={t('records.bookType')}>
              {(id) => (
                <Select
                  id={id}
                  value={type?.id ?? ''}
                  onChange={(e) => {
                    setTypeId(e.target.value);
                    setPicked(null);
                    setSlot(null);
                  }}
                >
                  {types.map((x) => (
                    <option key={x.id} value={x.id}>
                      {visitTypeLabel(x, i18n.language)} · {t('booking.minutes', { m: x.durationMinutes })}
                    </option>
                  ))}
                </Select>
              )}
            </Field>
            <Field label={t('records.bookPractitioner')}>
              {(id) => (
                <Select id={id} value={doctor} onChange={(e) => setDoctorPick(e.target.value)}>
                  <option value="any">{t('dash.anyPractitioner')}</option>
                  {practitioners
                    .filter((p) => !offer || offer.includes(p.id))
                    .map((p) => (
                      <option key={p.id} value={p.id}>
                        {p.displayName}
                      </option>
                    ))}
                </Select>
              )}
            </Field>
          </div>
          <div
            ref={pickRef}
            tabIndex={-1}
            className={cx('rounded-xl outline-none', problem === 'pick' && 'ring-2 ring-danger-700')}
            aria-describedby={problem === 'pick' ? `${ids}-pick` : undefined}
          >
            {fluid ? (
              <FluidDayPicker
                days={fluidDays}
                day={fluidDay}
                onDay={(d) => {
                  setPicked(d);
                  if (problem === 'pick') setProblem(null);
                }}
                legend={t('booking.fluidLegend')}
              />
            ) : (
              <SlotPicker
                days={days}
                day={day}
                onDay={(d) => {
                  setPicked(d);
                  setSlot(null);
                }}
                slots={slots}
                slot={chosenSlot}
                onSlot={(s) => {
                  setSlot(s);
                  if (problem === 'pick') setProblem(null);
                }}
                timeOf={(iso) => clinicTime?.time(iso) ?? ''}
                dayLegend={t('booking.step2')}
                slotLegend={t('booking.step3')}
              />
            )}
          </div>
          {hint('pick', t(fluid ? 'records.bookPickDay' : 'records.bookPickSlot'))}
          {failure && (
            <p
              role="alert"
              className="rounded-xl bg-danger-50 p-3 text-danger-700"
              data-testid="desk-booking-error"
            >
              {errorText(failure.code)}
            </p>
          )}
        </div>
      )}
    </Dialog>
  );
}
