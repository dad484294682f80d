/**
 * Admin → Queue rules → Board screens (board18): pairing the waiting-room screens that may show names. Loaded with
 * that lazy section only (src/pages/admin/BoardScreensSection.tsx), not with the admin page's strings (`npm run size`).
 */
export const boardsEn = {
  title: 'Board screens',
  lead: 'The waiting-room board shows patients’ names (first name + initial, when turned on above) only on a screen paired here. Any other screen that opens the board address shows ticket numbers only.',
  roomsHint:
    'A screen for some rooms only (a second waiting area): tick its rooms below, or add ?rooms=1,2 to the address of an unpaired screen. It shows and announces only the calls to those rooms.',
  roomsLegend: 'Rooms this screen shows',
  roomOption: 'Room {{room}}',
  allRooms: 'None ticked: every room',
  saveRooms: 'Save rooms',
  roomsSaved: 'Rooms saved',
  brandingTitle: 'Logo and colours',
  brandingLead:
    'Your clinic’s logo and colours on the waiting-room board. Text must stay readable from across the room.',
  brandingError: 'The board’s branding could not be loaded.',
  brandingSaved: 'Board branding saved',
  bg: 'Background',
  accent: 'Headings',
  previewHeading: 'Now serving',
  saveColours: 'Save colours',
  resetColours: 'Default colours',
  colourFormat: 'A colour is written #rrggbb, e.g. #1e3a8a.',
  contrastOk: 'Readable: lowest contrast {{ratio}}:1.',
  contrastLow:
    'Too hard to read: contrast {{ratio}}:1, at least 4.5:1 is needed. Choose a darker background or a lighter heading colour.',
  logoAlt: 'The board’s logo',
  noLogo: 'No logo',
  uploadLogo: 'Upload a logo',
  removeLogo: 'Remove logo',
  logoRules: 'PNG, JPEG or WebP, at most 64 KB. It is stored by QueueMed and shown on the board as is.',
  label: 'Screen name',
  labelDefault: 'Waiting-room TV',
  pair: 'Pair a board screen',
  linkTitle: 'Open this link once on the waiting-room screen',
  linkBody:
    'It is shown only now. The screen keeps its key and removes it from the address bar. Anyone with this link sees the names on the board: do not send it to patients.',
  copy: 'Copy link',
  copied: 'Link copied',
  done: 'Done',
  paired: 'Paired screens',
  none: 'No board screen is paired: every board shows ticket numbers only.',
  pairedAt: 'paired {{at}}',
  revoke: 'Unpair',
  revoked: 'Unpaired',
  revokedPairerLeft: 'Stopped: the staff member who paired it left or was deactivated',
};
