/**
 * "Your name at {clinic}" on My visits (issue 12; src/pages/visits/MyNameCard.tsx), en — loaded with that lazy card,
 * not with the page (My visits' first render is at its size budget).
 */
export const myNameEn = {
  title: 'Your name at {{clinic}}',
  lead: 'This is the name on your tickets and in the clinic’s messages. Correct it if it is wrong (up to 3 times a day).',
  edit: 'Correct my name',
  label: 'Full name',
  save: 'Save my name',
  cancel: 'Cancel',
  saved: 'Name saved: {{name}}',
  unchanged: 'Your name is already {{name}}.',
  required: 'Enter your name.',
};
