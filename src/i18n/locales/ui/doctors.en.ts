/**
 * The admin's doctor hours and leave (en; hours19, src/pages/admin/DoctorScheduleSection.tsx), loaded with that lazy
 * section, not with the admin page (its size budget, issue 14).
 */
export const doctorsEn = {
  title: 'Doctors’ hours and leave',
  lead: 'A doctor without own hours works the clinic’s hours. Own hours lie within the clinic’s.',
  none: 'No doctor in the team yet.',
  clinicHours: 'Clinic’s hours',
  ownHours: 'Own hours',
  useOwn: 'Set own hours',
  useClinic: 'Use the clinic’s hours',
  off: 'Off',
  saveHours: 'Save {{name}}’s hours',
  leave: 'Leave',
  noLeave: 'No leave planned.',
  from: 'First day',
  to: 'Last day',
  reason: 'Reason (optional)',
  addLeave: 'Add leave',
  remove: 'Remove',
  removeLeave: 'Remove leave {{range}}',
  confirmTitle: 'Remove this leave?',
  confirmBody: '{{name}} will be bookable again from {{from}} to {{to}}.',
  added: 'Leave saved.',
  visitsStay_one: '{{count}} visit is still booked with this doctor on those days: move it from the desk.',
  visitsStay_other:
    '{{count}} visits are still booked with this doctor on those days: move them from the desk.',
  outside: '{{day}}: a doctor’s range must lie within one of the clinic’s ranges.',
};
