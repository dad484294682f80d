/**
 * NotificationService (skeleton) — listens on the bus, and for each event that messages the patient
 * (DOMAIN.md "Notifications") renders the patient's template in their language (else the clinic's; the
 * clinic's own template, else the built-in default) and hands the SMS to the `SmsChannel` with an
 * idempotency key. Patients without a phone or who opted out get nothing. Never logs names or phones.
 *
 * "Almost your turn" (position ≤ notify_at_position, once per visit) is checked after every event that
 * moves the line, when a `QueuePositions` source is wired. Not here: the outbox sweep over the event log
 * (server side), budgets and retries (the channel's job).
 */
import { dayMonthTimeAt } from '../shared/models/ZonedTime';
import type { BookingBusEvents } from '../appointment/api/events';
import type { QueueBusEvents } from '../queue/api/bus';
import type { AppError } from '../shared/AppError';
import type { Logger } from '../shared/Logger';
import { ok, type Result } from '../shared/Result';
import { resolveTemplate, smsSegments, type MessageKind, type TemplateValues } from './api';
import { notificationIdempotencyKey } from './channels/idempotency';
import { smsMessageChannel } from './channels/SmsMessageChannel';
import { chooseChannel, type ChannelName } from './models/ChannelChoice';
import type {
  MessageChannel,
  QueuePositions,
  RecipientDirectory,
  SmsChannel,
  SmsStatus,
  TemplateSource,
} from './repositories/NotificationPorts';

type Events = QueueBusEvents & BookingBusEvents;
type Subscribable = {
  subscribe<K extends keyof Events>(type: K, handler: (event: Events[K]) => void | Promise<void>): () => void;
};

export interface NotificationDeps {
  readonly directory: RecipientDirectory;
  readonly templates: TemplateSource;
  /** The SMS channel (wired as the port's SMS adapter), unless `channels` is given. */
  readonly channel?: SmsChannel;
  /** The channel adapters of this runtime (the port); the first choice that reaches the patient is used. */
  readonly channels?: readonly MessageChannel[];
  /** Enables "almost your turn". */
  readonly positions?: QueuePositions;
  readonly logger?: Logger;
}

/** Events after which someone may have moved up to `notify_at_position`. */
const LINE_MOVERS = [
  'PatientCalled',
  'EntryCancelled',
  'PatientMarkedAbsent',
  'PatientReturned',
  'EntryMoved',
  'PriorityChanged',
  'GraceExpired',
  'DayEnded',
  'WalkInAdded',
  'PatientCheckedIn',
  'NoShowReactivated',
  'EmergencyInserted',
] as const;

export interface NotificationOutcome {
  readonly kind: MessageKind;
  readonly entryId: string;
  readonly status: SmsStatus | 'no_phone' | 'opted_out' | 'unknown_entry';
  /** The channel it went through (absent when nothing was sent). */
  readonly channel?: ChannelName;
}

/** What one event asks for: the message kind, its entry, an idempotency key and the event's own values. */
interface Intent {
  readonly kind: MessageKind;
  readonly entryId: string;
  readonly key: string;
  readonly values: TemplateValues;
  /** The clinic of the event, when it says (the directory may answer from what it holds of that clinic). */
  readonly clinicId?: string;
  readonly slotStart?: string;
  /** The reference the server resolves (the command's correlation id, the position, the tracking token). */
  readonly correlationId?: string;
  readonly position?: number;
  readonly trackingToken?: string;
}

/** The token of a tracking link `<origin>/t/<token>` (the server checks it against the visit). */
/** The visit's time as the SMS shows it (`dd/MM HH:mm` in the clinic's zone); nothing for an unreadable one. */
const appointmentTime = (
  slotStart: string,
  zone: string,
  language: string,
): { appointment_time?: string } => {
  const text = dayMonthTimeAt(Date.parse(slotStart), zone, language);
  return text === null ? {} : { appointment_time: text };
};

const trackingTokenOf = (url: string): string | undefined => /\/t\/([A-Za-z0-9_-]{16,128})$/.exec(url)?.[1];

const queueIntent = (
  kind: MessageKind,
  e: { entryId: string | null; clinicId: string; type: string; occurredAt: string; correlationId: string },
  values: TemplateValues = {},
): Intent | null =>
  e.entryId === null
    ? null
    : {
        kind,
        entryId: e.entryId,
        clinicId: e.clinicId,
        key: notificationIdempotencyKey({ kind, entryId: e.entryId, correlationId: e.correlationId }),
        values,
        ...(e.correlationId ? { correlationId: e.correlationId } : {}),
      };

export class NotificationService {
  /** "Almost your turn" already handed over in this session (the channel's idempotency key guards across sessions). */
  private readonly almostSent = new Set<string>();
  private readonly pendingChecks = new Map<string, Promise<void>>();

  constructor(private readonly deps: NotificationDeps) {}

  /** Subscribes to the events that message patients; returns the unsubscribe function. */
  attach(bus: Subscribable): () => void {
    const offs = [
      bus.subscribe('PatientCalled', (e) =>
        this.handle(queueIntent('your_turn', e, { room: e.payload.room ?? '' })),
      ),
      bus.subscribe('PatientOvertaken', (e) =>
        this.handle(queueIntent('still_next', e, { position: e.payload.position })),
      ),
      bus.subscribe('PatientMarkedAbsent', (e) =>
        this.handle(
          queueIntent('marked_absent', e, {
            grace_minutes: e.payload.graceMinutes,
            room: e.payload.room ?? '',
          }),
        ),
      ),
      bus.subscribe('PatientReturned', (e) =>
        this.handle(queueIntent('returned', e, { position: e.payload.position })),
      ),
      bus.subscribe('EntryCancelled', (e) => this.handle(queueIntent('cancelled', e))),
      bus.subscribe('GraceExpired', (e) => this.handle(queueIntent('no_show', e))),
      bus.subscribe('AppointmentBooked', (e) =>
        this.handle({
          kind: 'booking_confirmed',
          entryId: e.entryId,
          clinicId: e.clinicId,
          key: notificationIdempotencyKey({
            kind: 'booking_confirmed',
            entryId: e.entryId,
            correlationId: '',
          }),
          values: { tracking_url: e.trackingUrl },
          ...(e.slotStart ? { slotStart: e.slotStart } : {}),
          ...(trackingTokenOf(e.trackingUrl) ? { trackingToken: trackingTokenOf(e.trackingUrl) } : {}),
        }),
      ),
      bus.subscribe('AppointmentCancelled', (e) =>
        this.handle({
          kind: 'cancelled',
          entryId: e.entryId,
          key: notificationIdempotencyKey({ kind: 'cancelled', entryId: e.entryId, correlationId: '' }),
          values: {},
        }),
      ),
    ];
    if (this.deps.positions) {
      for (const type of LINE_MOVERS) offs.push(bus.subscribe(type, (e) => this.checkAlmostTurn(e.clinicId)));
    }
    return () => offs.forEach((off) => off());
  }

  /** Sends "almost your turn" to every waiting patient now at or above notify_at_position (once each). */
  async checkAlmostTurn(clinicId: string): Promise<void> {
    const source = this.deps.positions;
    if (!source) return;
    // one check per clinic at a time; events of one step arrive together
    const running = this.pendingChecks.get(clinicId);
    if (running) return running;
    const run = (async () => {
      await Promise.resolve();
      this.pendingChecks.delete(clinicId);
      const now = await source.positions(clinicId);
      if (!now.ok) {
        this.deps.logger?.warn({ code: now.error.code, clinicId }, 'positions unavailable');
        return;
      }
      for (const w of now.value.waiting) {
        if (w.position > now.value.notifyAtPosition || this.almostSent.has(w.entryId)) continue;
        this.almostSent.add(w.entryId);
        const handled = await this.run({
          kind: 'almost_turn',
          entryId: w.entryId,
          clinicId,
          key: notificationIdempotencyKey({
            kind: 'almost_turn',
            entryId: w.entryId,
            correlationId: '',
          }),
          values: { position: w.position },
          position: w.position,
        });
        // A send that failed (the function unreachable or still starting, a 5xx, the line read a moment
        // before the server's) is tried again at the next movement of the line while the patient still
        // waits near the front — it used to be remembered as done, so the first patient of a morning,
        // whose only check met a cold or busy sender, never got the message. The server's once-per-visit
        // key (almost_turn:<entry>:once) still sends at most one.
        if (!handled) this.almostSent.delete(w.entryId);
      }
    })();
    this.pendingChecks.set(clinicId, run);
    return run;
  }

  /** A bus listener's body (see `run`). */
  private async handle(intent: Intent | null): Promise<void> {
    await this.run(intent);
  }

  /**
   * Listener body: errors are logged (coded), never thrown into the bus. → whether the message was
   * handled for good (sent, a duplicate, or nothing to send), false when it failed and may be retried.
   */
  private async run(intent: Intent | null): Promise<boolean> {
    if (!intent) return true;
    let r: Result<NotificationOutcome, AppError>;
    try {
      r = await this.notify(intent);
    } catch (e) {
      this.deps.logger?.warn(
        { kind: intent.kind, entryId: intent.entryId, err: e instanceof Error ? e.name : 'unknown' },
        'notification not sent',
      );
      return false;
    }
    if (!r.ok) {
      this.deps.logger?.warn(
        { code: r.error.code, kind: intent.kind, entryId: intent.entryId },
        'notification not sent',
      );
      return false;
    }
    this.deps.logger?.info(
      { kind: intent.kind, entryId: intent.entryId, status: r.value.status },
      'notification handled',
    );
    return r.value.status !== 'failed';
  }

  /** Renders and hands over one message (exposed for the outbox sweep and tests). */
  async notify(intent: Intent): Promise<Result<NotificationOutcome, AppError>> {
    const outcome = (status: NotificationOutcome['status'], channel?: ChannelName) =>
      ok({ kind: intent.kind, entryId: intent.entryId, status, ...(channel ? { channel } : {}) });
    const found = await this.deps.directory.forEntry(intent.entryId, intent.clinicId);
    if (!found.ok) return found;
    const who = found.value;
    if (!who) return outcome('unknown_entry');
    const wired = this.channels();
    const choice = chooseChannel({
      preference: who.preferredChannel ?? null,
      clinicDefault: who.clinicChannel ?? null,
      wired: wired.map((c) => c.name),
      reach: (name) => wired.find((c) => c.name === name)?.reach(who) ?? 'no_address',
    });
    if (choice.channel === null) return outcome(choice.reason === 'opted_out' ? 'opted_out' : 'no_phone');
    const channel = wired.find((c) => c.name === choice.channel)!;
    const own = await this.deps.templates.clinicTemplates(who.clinicId);
    if (!own.ok) return own;
    const { template, language } = resolveTemplate({
      kind: intent.kind,
      patientLanguage: who.language,
      clinicLanguage: who.clinicLanguage,
      clinicTemplates: own.value,
    });
    const values: TemplateValues = {
      patient_name: who.patientName,
      clinic_name: who.clinicName,
      ticket: who.ticket,
      position: '',
      eta: '',
      room: '',
      grace_minutes: '',
      tracking_url: '',
      // "My visits" beside the tracker, where the patient signs in and cancels (the server's links.ts)
      cancel_url:
        typeof intent.values.tracking_url === 'string' && intent.values.tracking_url !== ''
          ? intent.values.tracking_url.replace(/\/t\/[^/]*$/, '/me')
          : '',
      ...(intent.slotStart ? appointmentTime(intent.slotStart, who.timeZone, language) : {}),
      ...intent.values,
    };
    const body = template.render(values);
    if (!body.ok) return body;
    const sent = await channel.send({
      clinicId: who.clinicId,
      entryId: intent.entryId,
      kind: intent.kind,
      language,
      to: channel.address(who),
      body: body.value,
      segments: smsSegments(body.value).segments,
      idempotencyKey: intent.key,
      ...(intent.correlationId ? { correlationId: intent.correlationId } : {}),
      ...(intent.position !== undefined ? { position: intent.position } : {}),
      ...(intent.trackingToken ? { trackingToken: intent.trackingToken } : {}),
    });
    if (!sent.ok) return sent;
    // the server found no one to reach (desk25: the browser no longer pre-checks a contact it did not read):
    // handled for good, like the browser's own finding — never retried at the next movement of the line
    if (sent.value.status === 'failed' && sent.value.outcome === 'opted_out') return outcome('opted_out');
    if (sent.value.status === 'failed' && sent.value.outcome === 'no_recipient') return outcome('no_phone');
    return outcome(sent.value.status, channel.name);
  }

  /** The wired adapters: `channels`, else the SMS channel as the port's SMS adapter. */
  private channels(): readonly MessageChannel[] {
    this.wired ??= this.deps.channels ?? (this.deps.channel ? [smsMessageChannel(this.deps.channel)] : []);
    return this.wired;
  }
  private wired: readonly MessageChannel[] | undefined;
}
