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
};
