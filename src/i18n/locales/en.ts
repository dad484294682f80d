import { withPlurals } from './plurals';
import { uiEn } from './ui/en';

export const en = {
  app: {
    name: 'QueueMed',
    tagline: 'The patient queue your clinic runs on.',
    language: 'Language',
  },
  common: withPlurals(
    {
      loading: 'Loading…',
      retry: 'Try again',
      cancel: 'Cancel',
      confirm: 'Confirm',
      save: 'Save',
      close: 'Close',
      empty: 'Nothing here yet.',
      minutes_one: '{{count}} minute',
      minutes_other: '{{count}} minutes',
    },
    'minutes',
  ),
  // error-code messages live in ./errors.en.ts (loaded on demand: src/i18n/README.md); only the two
  // a screen shows without a coded failure stay here
  errors: {
    'PHONE.INVALID': 'This is not a valid phone number.',
    unknown: 'Something went wrong. Please try again.',
  },
  ...uiEn,
};

export type Resources = typeof en;
