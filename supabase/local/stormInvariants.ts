/**
 * The storm bench's invariants (issue 12), checked from the database with the service role after a run.
 *
 * Counting is by command id, not by "version grew by the number of successes": the queue's version also
 * moves without any client command — `get_queue` expires the graces that are over (private.expire_grace:
 * GraceExpired events with no correlation id, one version per expiring transaction), and so do the sweep
 * and end of day. A long run on a slow machine (PGlite, minutes) outlives a 10-minute grace, so the old
 * count reported "version +997 vs 994 successes" for three automatic expiries: a checker error. What the
 * exactly-once guarantee really forbids is checked against `queue_commands` (one row per applied command id):
 *   - every command id the database applied was acknowledged to its client as a success (never "applied but
 *     answered as a failure", e.g. a lost answer turned into an error the client gives up on or retries);
 *   - every acknowledged command that changed the queue is applied (no acknowledged save lost);
 *   - the version grew by the applied commands plus the automatic steps, each command one version;
 *   - the event log's correlation ids are exactly the applied commands; the log replays to the table; no
 *     patient called twice without a return in between; at most one active patient per practitioner.
 */

/** What the clients were told, by command id. */
export interface StormLedger {
  /** Answered as a success that changed the queue (saved now, or replayed: applied before). */
  readonly acknowledged: ReadonlySet<string>;
  /** Answered as a failure (a refusal, a conflict after every retry, an error). */
  readonly failed: ReadonlySet<string>;
}

/** A GET of the stack's REST API with the service role (path after /rest/v1/). */
export type ServiceRead = (path: string) => Promise<unknown>;

interface EntryRow {
  id: string;
  status: string;
  practitioner_id: string | null;
}
interface EventRow {
  id: number;
  entry_id: string | null;
  type: string;
  correlation_id: string | null;
  occurred_at: string;
}
interface CommandRow {
  command_id: string;
  version: number;
}

const STATUS_OF: Record<string, string> = {
  WalkInAdded: 'waiting',
  EmergencyInserted: 'waiting',
  PatientCalled: 'called',
  ServiceStarted: 'in_service',
  ServiceFinished: 'completed',
  PatientMarkedAbsent: 'absent',
  PatientReturned: 'waiting',
  EntryCancelled: 'cancelled',
  GraceExpired: 'no_show',
  NoShowReactivated: 'waiting',
};

export interface StormCheck {
  readonly violations: string[];
  readonly version: number;
  /** Versions moved by the database itself (grace expiry, sweep), not by a command. */
  readonly automaticSteps: number;
  readonly appliedCommands: number;
  readonly entries: number;
  readonly events: number;
}

/** The queue's version and last event id now: the starting line of a run. */
export async function stormMark(
  read: ServiceRead,
  queueId: string,
): Promise<{ version: number; eventId: number }> {
  const q = (await read(`queues?id=eq.${queueId}&select=version`)) as { version: number }[];
  const ev = (await read(`queue_events?queue_id=eq.${queueId}&select=id&order=id.desc&limit=1`)) as {
    id: number;
  }[];
  return { version: q[0]?.version ?? 0, eventId: Number(ev[0]?.id ?? 0) };
}

export async function checkStormInvariants(
  read: ServiceRead,
  queueId: string,
  start: { version: number; eventId: number },
  ledger: StormLedger,
): Promise<StormCheck> {
  const v0 = start.version;
  const q = (await read(`queues?id=eq.${queueId}&select=version`)) as { version: number }[];
  const v1 = q[0]?.version ?? -1;
  const entries = (await read(
    `queue_entries?queue_id=eq.${queueId}&select=id,status,practitioner_id&limit=100000`,
  )) as EntryRow[];
  const events = (await read(
    `queue_events?queue_id=eq.${queueId}&select=id,entry_id,type,correlation_id,occurred_at&order=id.asc&limit=1000000`,
  )) as EventRow[];
  const commands = (await read(
    `queue_commands?queue_id=eq.${queueId}&version=gt.${v0}&select=command_id,version&limit=1000000`,
  )) as CommandRow[];
  const violations: string[] = [];

  // Exactly-once, by command id.
  const applied = new Set(commands.map((c) => c.command_id));
  const answeredAsFailure = [...applied].filter((id) => !ledger.acknowledged.has(id));
  if (answeredAsFailure.length > 0)
    violations.push(
      `${answeredAsFailure.length} commands applied but answered as a failure (${answeredAsFailure
        .slice(0, 3)
        .map((id) => id.slice(0, 8))
        .join(
          ', ',
        )}${ledger.failed.has(answeredAsFailure[0] ?? '') ? ': the client was told it failed' : ''})`,
    );
  const lost = [...ledger.acknowledged].filter((id) => !applied.has(id));
  if (lost.length > 0) violations.push(`${lost.length} acknowledged commands not applied (lost saves)`);
  const versions = new Set(commands.map((c) => c.version));
  if (versions.size !== commands.length) violations.push('two commands were applied at one version');
  if (commands.some((c) => c.version > v1)) violations.push('a command is recorded past the queue version');

  // Versions add up: one per applied command, one per automatic step (a transaction that expired graces:
  // its GraceExpired events have no correlation id and share the transaction's time).
  const stormEvents = events.filter((e) => e.id > start.eventId);
  const automatic = new Set(
    stormEvents
      .filter((e) => e.correlation_id === null && e.type === 'GraceExpired')
      .map((e) => e.occurred_at),
  );
  if (v1 - v0 !== commands.length + automatic.size)
    violations.push(
      `version grew by ${v1 - v0}: ${commands.length} applied commands + ${automatic.size} automatic steps`,
    );
  const correlations = new Set(
    stormEvents.map((e) => e.correlation_id).filter((c): c is string => c !== null),
  );
  const stray = [...correlations].filter((c) => !applied.has(c));
  if (stray.length > 0)
    violations.push(`${stray.length} commands in the event log without an applied command id`);

  // The event log replays to the table; nobody called twice without a return; one active per practitioner.
  const replayed = new Map<string, string>();
  const calls = new Map<string, number>();
  const returns = new Map<string, number>();
  for (const e of events) {
    if (!e.entry_id) continue;
    const st = STATUS_OF[e.type];
    if (st) replayed.set(e.entry_id, st);
    if (e.type === 'PatientCalled') calls.set(e.entry_id, (calls.get(e.entry_id) ?? 0) + 1);
    if (e.type === 'PatientReturned' || e.type === 'NoShowReactivated')
      returns.set(e.entry_id, (returns.get(e.entry_id) ?? 0) + 1);
  }
  let mismatched = 0;
  for (const en of entries) {
    const r = replayed.get(en.id);
    if (r !== undefined && r !== en.status) mismatched++;
    if ((calls.get(en.id) ?? 0) > 1 + (returns.get(en.id) ?? 0))
      violations.push(`entry ${en.id.slice(0, 8)} called ${calls.get(en.id)} times`);
  }
  if (mismatched > 0) violations.push(`${mismatched} entries differ from their event log`);
  const active = new Map<string, number>();
  for (const en of entries)
    if (en.practitioner_id && (en.status === 'called' || en.status === 'in_service'))
      active.set(en.practitioner_id, (active.get(en.practitioner_id) ?? 0) + 1);
  for (const [p, n] of active)
    if (n > 1) violations.push(`practitioner ${p.slice(0, 8)} has ${n} active patients`);

  return {
    violations,
    version: v1,
    automaticSteps: automatic.size,
    appliedCommands: commands.length,
    entries: entries.length,
    events: events.length,
  };
}
