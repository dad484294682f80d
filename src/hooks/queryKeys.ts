/** Query-key factories (ARCHITECTURE.md §4): every query and invalidation goes through these, never literals. */
export const queueKeys = {
  all: ['queue'] as const,
  clinic: (clinicId: string) => ['queue', clinicId] as const,
  day: (clinicId: string, day: string | null = null) => ['queue', clinicId, day ?? 'today'] as const,
  /** The staff's "Bookings" list of one day (issue 17); under `clinic`, so a queue change refreshes it. */
  bookings: (clinicId: string, day: string) => ['queue', clinicId, 'bookings', day] as const,
  /** The desk's queue commands (a mutation key): realtime holds back while one of them runs (rt24). */
  commands: (clinicId: string) => ['queue', clinicId, 'commands'] as const,
};

export const bookingKeys = {
  all: ['booking'] as const,
  slots: (
    clinicId: string,
    from: string,
    to: string | null,
    typeId: string | null,
    doctor: string | null = null,
  ) => ['booking', 'slots', clinicId, from, to, typeId, doctor] as const,
  slotsOfClinic: (clinicId: string) => ['booking', 'slots', clinicId] as const,
  /** Under slotsOfClinic: a booking invalidates a fluid type's days with its slots. */
  fluidDays: (
    clinicId: string,
    from: string,
    to: string | null,
    typeId: string | null,
    doctor: string | null = null,
  ) => ['booking', 'slots', clinicId, 'fluid', from, to, typeId, doctor] as const,
  myVisits: () => ['booking', 'my-visits'] as const,
  myName: (clinicId: string) => ['booking', 'my-name', clinicId] as const,
  myPrefs: (clinicId: string) => ['booking', 'my-prefs', clinicId] as const,
  visit: (trackingToken: string) => ['booking', 'visit', trackingToken] as const,
  publicClinic: (slugOrId: string) => ['booking', 'clinic', slugOrId] as const,
  remoteJoin: (clinicId: string) => ['booking', 'remote-join', clinicId] as const,
  /** The kiosk a device token opens (kiosk17). */
  kiosk: (token: string) => ['booking', 'kiosk', token] as const,
  /** A clinic's paired kiosks, or board screens (staff; board18). */
  kiosks: (clinicId: string, kind: 'kiosk' | 'board' = 'kiosk') =>
    ['booking', 'kiosks', clinicId, kind] as const,
};

export const clinicKeys = {
  all: ['clinic'] as const,
  clinic: (clinicId: string) => ['clinic', clinicId] as const,
  profile: (clinicId: string) => ['clinic', clinicId, 'profile'] as const,
  members: (clinicId: string) => ['clinic', clinicId, 'members'] as const,
  invitations: (clinicId: string) => ['clinic', clinicId, 'invitations'] as const,
  hours: (clinicId: string) => ['clinic', clinicId, 'hours'] as const,
  closedDates: (clinicId: string) => ['clinic', clinicId, 'closed-dates'] as const,
  /** Each doctor's own week and leave (hours19). */
  doctorHours: (clinicId: string) => ['clinic', clinicId, 'doctor-hours'] as const,
  doctorLeave: (clinicId: string) => ['clinic', clinicId, 'doctor-leave'] as const,
  boardBranding: (clinicId: string) => ['clinic', clinicId, 'board-branding'] as const,
  visitTypes: (clinicId: string) => ['clinic', clinicId, 'visit-types'] as const,
  clock: (clinicId: string, from: string | null, to: string | null) =>
    ['clinic', clinicId, 'clock', from ?? 'today', to ?? from ?? 'today'] as const,
};

export const staffKeys = {
  all: ['staff'] as const,
  /** The signed-in user's own membership (which clinic, which role). */
  membership: (userId: string) => ['staff', 'membership', userId] as const,
};

export const notificationKeys = {
  all: ['notification'] as const,
  clinic: (clinicId: string) => ['notification', clinicId] as const,
  templates: (clinicId: string) => ['notification', clinicId, 'templates'] as const,
  budget: (clinicId: string) => ['notification', clinicId, 'budget'] as const,
  log: (clinicId: string) => ['notification', clinicId, 'log'] as const,
  reminder: (clinicId: string) => ['notification', clinicId, 'reminder'] as const,
};

export const reportKeys = {
  all: ['reports'] as const,
  myAccess: () => ['reports', 'my-record-access'] as const,
  patientRecord: (patientId: string) => ['reports', 'patient-record', patientId] as const,
  patientSearch: (clinicId: string, query: string) => ['reports', 'patient-search', clinicId, query] as const,
  visitNotes: (entryId: string) => ['reports', 'visit-notes', entryId] as const,
  clinic: (clinicId: string) => ['reports', clinicId] as const,
  retention: (clinicId: string) => ['reports', clinicId, 'retention'] as const,
  report: (clinicId: string, report: string, from: string, to: string, period: string, by = 'total') =>
    ['reports', clinicId, report, from, to, period, by] as const,
  audit: (
    clinicId: string,
    from: string,
    to: string,
    patientId: string | null,
    actorId: string | null,
    kind: string | null,
  ) => ['reports', clinicId, 'audit', from, to, patientId, actorId, kind] as const,
};

export const authKeys = {
  session: () => ['auth', 'session'] as const,
};
