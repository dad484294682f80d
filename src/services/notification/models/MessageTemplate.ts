/**
 * A message template: one kind of patient (or staff) message, in one language, with `{variables}`.
 *
 * Built only through `MessageTemplate.create`, which refuses a body with an unknown variable or with
 * malformed braces (`TEMPLATE.UNKNOWN_VARIABLE`, listing them), or an empty body (`TEMPLATE.EMPTY`), so a
 * clinic can never save a template that would send "{patient_nmae}" to a patient.
 */
import { appError, ErrorCodes } from '../../shared/AppError';
import { err, ok } from '../../shared/Result';
import type { Result } from '../../shared/Result';

export const MESSAGE_LANGUAGES = ['ar', 'fr', 'en'] as const;
export type MessageLanguage = (typeof MESSAGE_LANGUAGES)[number];
export const isMessageLanguage = (value: unknown): value is MessageLanguage =>
  typeof value === 'string' && (MESSAGE_LANGUAGES as readonly string[]).includes(value);

/**
 * The events of DOMAIN.md that message a patient — the kinds a clinic edits templates of (stored per kind and
 * language, named as the database's `notification_kind`).
 */
export const PATIENT_MESSAGE_KINDS = [
  'booking_confirmed',
  'appointment_reminder',
  'fluid_reminder',
  'waitlist_offer',
  'remote_join_confirmed',
  'almost_turn',
  'your_turn',
  'still_next',
  'marked_absent',
  'returned',
  'cancelled',
  'no_show',
] as const;
/**
 * Every kind: the patient messages plus the platform messages (a staff invitation, a sign-in code, and the
 * owner's notice that a webhook endpoint was disabled after repeated failures).
 */
export const MESSAGE_KINDS = [
  ...PATIENT_MESSAGE_KINDS,
  'staff_invitation',
  'otp',
  'webhook_disabled',
] as const;
export type MessageKind = (typeof MESSAGE_KINDS)[number];
export const isMessageKind = (value: unknown): value is MessageKind =>
  typeof value === 'string' && (MESSAGE_KINDS as readonly string[]).includes(value);

/** The variables of DOMAIN.md, usable in every kind. */
export const TEMPLATE_VARIABLES = [
  'patient_name',
  'clinic_name',
  'ticket',
  'position',
  'eta',
  'room',
  'grace_minutes',
  'tracking_url',
] as const;
export type CommonTemplateVariable = (typeof TEMPLATE_VARIABLES)[number];

/** Variables that only make sense for one kind. */
export const KIND_VARIABLES = {
  booking_confirmed: ['appointment_time', 'cancel_url'],
  appointment_reminder: ['appointment_time', 'cancel_url'],
  fluid_reminder: ['appointment_time', 'cancel_url'],
  waitlist_offer: ['appointment_time', 'offer_expires_at', 'offer_url'],
  remote_join_confirmed: ['arrive_by'],
  almost_turn: [],
  your_turn: [],
  still_next: [],
  marked_absent: [],
  returned: [],
  cancelled: [],
  no_show: [],
  staff_invitation: ['invitation_url'],
  otp: ['code'],
  webhook_disabled: ['webhook_url', 'failures'],
} as const satisfies Record<MessageKind, readonly string[]>;

export type TemplateVariable = CommonTemplateVariable | (typeof KIND_VARIABLES)[MessageKind][number];
export type TemplateValues = Partial<Record<TemplateVariable, string | number>>;

export const allowedVariables = (kind: MessageKind): readonly TemplateVariable[] => [
  ...TEMPLATE_VARIABLES,
  ...KIND_VARIABLES[kind],
];

export const MAX_TEMPLATE_LENGTH = 1000;

type Part = { readonly text: string } | { readonly variable: TemplateVariable };

interface ParseOutcome {
  readonly parts: Part[];
  readonly unknown: string[];
  readonly malformed: string[];
}

/** Splits a body into text and `{variable}` parts; collects unknown names and malformed braces. */
const parse = (body: string, allowed: readonly string[]): ParseOutcome => {
  const parts: Part[] = [];
  const unknown: string[] = [];
  const malformed: string[] = [];
  let text = '';
  let i = 0;
  while (i < body.length) {
    const ch = body.charAt(i);
    if (ch === '}') {
      malformed.push(body.slice(Math.max(0, i - 10), i + 1));
      i += 1;
      continue;
    }
    if (ch !== '{') {
      text += ch;
      i += 1;
      continue;
    }
    const close = body.indexOf('}', i + 1);
    const nextOpen = body.indexOf('{', i + 1);
    if (close === -1 || (nextOpen !== -1 && nextOpen < close)) {
      malformed.push(body.slice(i, nextOpen === -1 ? i + 30 : nextOpen));
      i = nextOpen === -1 ? body.length : nextOpen;
      continue;
    }
    const name = body.slice(i + 1, close);
    if (/^[a-z_]+$/.test(name) && allowed.includes(name)) {
      if (text !== '') parts.push({ text });
      text = '';
      parts.push({ variable: name as TemplateVariable });
    } else if (/^\s*$/.test(name)) {
      malformed.push(`{${name}}`);
    } else {
      unknown.push(name);
    }
    i = close + 1;
  }
  if (text !== '') parts.push({ text });
  return { parts, unknown: [...new Set(unknown)], malformed: [...new Set(malformed)] };
};

/** A value as it goes into an SMS: one line, no control characters, no surrounding spaces. */
const cleanValue = (value: string | number): string =>
  Array.from(String(value), (ch) => (ch.charCodeAt(0) < 0x20 || ch === '\u007f' ? ' ' : ch))
    .join('')
    .replace(/\s+/g, ' ')
    .trim();

export class MessageTemplate {
  private constructor(
    readonly kind: MessageKind,
    readonly language: MessageLanguage,
    readonly body: string,
    private readonly parts: readonly Part[],
  ) {
    Object.freeze(this);
  }

  static create(input: {
    kind: MessageKind;
    language: MessageLanguage;
    body: string;
  }): Result<MessageTemplate> {
    const { kind, language } = input;
    if (!isMessageKind(kind)) {
      return err(appError(ErrorCodes.VALIDATION_FAILED, `Unknown message kind.`, { field: 'kind' }));
    }
    if (!isMessageLanguage(language)) {
      return err(appError(ErrorCodes.VALIDATION_FAILED, `Unsupported language.`, { field: 'language' }));
    }
    const body = typeof input.body === 'string' ? input.body.trim() : '';
    if (body === '') return err(appError(ErrorCodes.TEMPLATE_EMPTY, 'A message template cannot be empty.'));
    if (body.length > MAX_TEMPLATE_LENGTH) {
      return err(
        appError(ErrorCodes.VALIDATION_FAILED, `A template is at most ${MAX_TEMPLATE_LENGTH} characters.`, {
          field: 'body',
          max: MAX_TEMPLATE_LENGTH,
        }),
      );
    }
    const allowed = allowedVariables(kind);
    const { parts, unknown, malformed } = parse(body, allowed);
    if (unknown.length > 0 || malformed.length > 0) {
      return err(
        appError(
          ErrorCodes.TEMPLATE_UNKNOWN_VARIABLE,
          `Template uses unknown variables or malformed braces: ${[...unknown, ...malformed].join(', ')}`,
          { unknown, malformed, allowed: [...allowed] },
        ),
      );
    }
    return ok(new MessageTemplate(kind, language, body, Object.freeze(parts)));
  }

  /** The distinct variables the body uses, in order of first use. */
  get variables(): readonly TemplateVariable[] {
    const seen: TemplateVariable[] = [];
    for (const p of this.parts) if ('variable' in p && !seen.includes(p.variable)) seen.push(p.variable);
    return seen;
  }

  /**
   * Fills in the variables (a value never re-expands: `{x}` inside a patient's name stays literal).
   * A variable the body uses but `values` lacks is `VALIDATION.FAILED` with `details.missing`.
   */
  render(values: TemplateValues): Result<string> {
    const missing = this.variables.filter((v) => values[v] === undefined);
    if (missing.length > 0) {
      return err(
        appError(ErrorCodes.VALIDATION_FAILED, `Missing template values: ${missing.join(', ')}`, { missing }),
      );
    }
    const out = this.parts
      .map((p) => ('text' in p ? p.text : cleanValue(values[p.variable] as string | number)))
      .join('');
    return ok(out.trim());
  }
}
