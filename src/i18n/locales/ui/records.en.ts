/**
 * The desk's patient search and staff notes (issue 17), loaded with their lazy panels
 * (src/i18n/pageStrings.ts), not with every screen's language bundle.
 */
export const recordsEn = {
  searchTitle: 'Find a patient',
  searchLabel: 'Name, phone or ticket',
  searchHint: 'At least 2 characters. Opening a patient’s history is recorded in the audit log.',
  noMatch: 'No patient of this clinic matches.',
  lastVisit: 'Last visit {{day}} · {{ticket}}',
  noVisit: 'No visit yet',
  open: 'History of {{name}}',
  notesTitle: 'Staff notes — {{ticket}}',
  notesHint:
    'Only the clinic’s staff read these notes — never the patient, their tracker or the waiting-room board.',
  notesEmpty: 'No note on this visit yet.',
  noteLabel: 'New note',
  noteCount: '{{n}} / {{max}} characters',
  noteAdd: 'Add the note',
  noteBy: '{{name}}, {{time}}',
  bookTitle: 'Book a visit',
  bookHint: 'Find the patient by phone or name, or enter a new one.',
  bookPhone: 'Patient’s phone',
  bookName: 'Patient’s full name',
  bookUse: 'Book for {{name}}',
  bookFor: 'Booking for {{name}}',
  bookOther: 'Another patient',
  bookType: 'Visit type',
  bookPractitioner: 'Practitioner',
  bookNameRequired: 'Enter the patient’s name.',
  bookPhoneRequired: 'Enter the patient’s phone.',
  bookPickSlot: 'Choose a day and a time.',
  bookPickDay: 'Choose a day.',
  bookConfirm: 'Book',
  bookDoneSlot: 'Booked {{ticket}} for {{name}}, {{when}}.',
  bookDoneDay: 'Booked {{ticket}} for {{name}}, in the line of {{day}}.',
};
