/**
 * The home page's strings (en), loaded with the home page (src/i18n/pageStrings.ts), not with every
 * screen's language bundle (the role names stay in the main bundle: staff screens use them).
 */
export const landingEn = {
  title: 'The patient queue your clinic runs on',
  lead: 'QueueMed calls patients in from the reception desk, shows who is next on the waiting-room screen, and lets patients follow their place live on their phone — in Arabic, French and English.',
  demoTitle: 'Try the demo clinic',
  demoLead: 'Cabinet Médical Anfa, Casablanca. Every demo account uses the password below.',
  password: 'Password',
  role: 'Role',
  login: 'Login',
  open: 'Open',
  screens: 'Screens',
  boardLink: 'Waiting-room board',
  boardDesc: 'Full screen for the TV in the waiting room.',
  trackerLink: 'A patient’s live tracker',
  trackerDesc: 'What Amine sees on his phone — no sign-in needed.',
  clinicLink: 'Clinic page & booking',
  clinicDesc: 'Book a visit: type, day, free slot.',
  directoryLink: 'Clinic directory',
  directoryDesc: 'Find a clinic by name, city or specialty.',
  kioskLink: 'Check-in kiosk',
  kioskDesc: 'Tablet at the entrance: check in with the ticket and the phone’s last digits.',
  signInAs: 'Sign in as {{role}}',
  features: {
    live: 'Live everywhere',
    liveDesc: 'A call at the desk shows on the board and the patient’s phone within a second.',
    fair: 'Fair by design',
    fairDesc: 'Skips are counted and capped; absent patients get a grace period.',
    lang: 'Arabic, French, English',
    langDesc: 'Right-to-left done properly, and messages in the patient’s language.',
  },
};
