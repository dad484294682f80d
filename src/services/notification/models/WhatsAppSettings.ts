/**
 * A clinic's WhatsApp settings (issue 20), checked as the database checks them (set_whatsapp_settings): the
 * sender is an E.164 number or none (the platform's); each approved template is a Twilio Content SID (HX + 32
 * hex) for a patient-message kind and a language, whose variables — {{1}}, {{2}} … in order — are variables of
 * that kind; at most 10. Pure.
 */
import { TEMPLATE_KINDS, templateVariables, type TemplateKind } from './TemplateEditing';

export const WHATSAPP_SENDER_SHAPE = /^\+[1-9][0-9]{6,14}$/;
export const CONTENT_SID_SHAPE = /^HX[0-9a-fA-F]{32}$/;
export const MAX_WHATSAPP_VARIABLES = 10;

export interface WhatsAppSettingsInput {
  readonly sender: string | null;
  readonly templates: readonly {
    readonly kind: string;
    readonly language: string;
    readonly sid: string;
    readonly variables: readonly string[];
  }[];
}

/** null when the settings can be saved; else what is wrong ('sender', 'kind', 'sid', 'variable', 'duplicate'). */
export const whatsAppSettingsProblem = (
  s: WhatsAppSettingsInput,
): 'sender' | 'kind' | 'language' | 'sid' | 'variable' | 'duplicate' | null => {
  if (s.sender !== null && !WHATSAPP_SENDER_SHAPE.test(s.sender)) return 'sender';
  const seen = new Set<string>();
  for (const t of s.templates) {
    if (!(TEMPLATE_KINDS as readonly string[]).includes(t.kind)) return 'kind';
    if (!['ar', 'fr', 'en'].includes(t.language)) return 'language';
    if (!CONTENT_SID_SHAPE.test(t.sid)) return 'sid';
    const allowed = templateVariables(t.kind as TemplateKind);
    if (t.variables.length > MAX_WHATSAPP_VARIABLES || t.variables.some((v) => !allowed.includes(v)))
      return 'variable';
    const key = `${t.kind}/${t.language}`;
    if (seen.has(key)) return 'duplicate';
    seen.add(key);
  }
  return null;
};
