/**
 * What the template editor needs, pure: the kinds as the database names them, the default text and the
 * variables of a kind, a preview with sample values, and the segments/cost of one message.
 */
import { DEFAULT_TEMPLATE_TEXTS } from './DefaultTemplates';
import {
  KIND_VARIABLES,
  PATIENT_MESSAGE_KINDS,
  TEMPLATE_VARIABLES,
  type MessageKind,
} from './MessageTemplate';
import { smsSegments } from './SmsSegments';
import { etaPhrase, renderTemplate } from '../../../../supabase/functions/_shared/render';

/** The kinds a clinic edits templates of: the model's patient messages (one list, MessageTemplate.ts). */
export const TEMPLATE_KINDS = PATIENT_MESSAGE_KINDS;
export type TemplateKind = (typeof TEMPLATE_KINDS)[number];
export type TemplateLanguage = 'ar' | 'fr' | 'en';

/** One name per kind: the database's `notification_kind` is the model's `MessageKind`. */
export const templateModelKind = (k: TemplateKind): MessageKind => k;

export const defaultTemplateText = (k: TemplateKind, lng: TemplateLanguage): string =>
  DEFAULT_TEMPLATE_TEXTS[templateModelKind(k)][lng];

export const templateVariables = (k: TemplateKind): string[] => [
  ...TEMPLATE_VARIABLES,
  ...KIND_VARIABLES[templateModelKind(k)],
];

/**
 * Preview values for the live template preview, as the database gives them to the sender: the room's
 * number, the wait as the stored estimate (rendered to a phrase in the message's language).
 */
export const SAMPLE_VALUES: Readonly<Record<string, string>> = {
  patient_name: 'Amine Tazi',
  clinic_name: 'Cabinet Médical Anfa',
  ticket: 'A-014',
  position: '3',
  room: '2',
  grace_minutes: '10',
  tracking_url: 'https://q.md/t/x7Kp2',
  appointment_time: '24/11 10:30',
  cancel_url: 'https://q.md/me',
  arrive_by: '10:30',
};
const SAMPLE_ETA = { kind: 'minutes', minutes: 25, low: 20, high: 35 } as const;

/** The preview, rendered by the sender's own renderer (supabase/functions/_shared/render.ts). */
export function renderPreview(body: string, language: 'ar' | 'fr' | 'en' = 'fr'): string {
  return renderTemplate(body, { ...SAMPLE_VALUES, eta: etaPhrase(SAMPLE_ETA, language) }, language, {
    keepUnknown: true,
  });
}

/** Segments, encoding and the estimated cost of one message (unit price per segment, MAD). */
export function messageCost(body: string, unitPrice = 0.25) {
  const info = smsSegments(body);
  return {
    chars: body.length,
    segments: info.segments,
    encoding: info.encoding,
    cost: Math.round(info.segments * unitPrice * 100) / 100,
  };
}
