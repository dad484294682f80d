/**
 * Admin → Queue rules → Board screens (board18): pairing the waiting-room screens that may show names. Loaded with
 * that lazy section only (src/pages/admin/BoardScreensSection.tsx), not with the admin page's strings (`npm run size`).
 */
export const boardsEn = {
  title: 'Board screens',
  lead: 'The waiting-room board shows patients’ names (first name + initial, when turned on above) only on a screen paired here. Any other screen that opens the board address shows ticket numbers only.',
  roomsHint:
    'A screen for some rooms only (a second waiting area): add ?rooms=1,2 to its address, before the # of a pairing link. It shows and announces only the calls to those rooms.',
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
