// The notification module's public surface for other modules.
export {
  DEFAULT_TEMPLATE_TEXTS,
  FALLBACK_LANGUAGE,
  defaultTemplate,
  resolveTemplate,
  type ResolvedTemplate,
} from '../models/DefaultTemplates';
export {
  KIND_VARIABLES,
  MAX_TEMPLATE_LENGTH,
  MESSAGE_KINDS,
  MESSAGE_LANGUAGES,
  MessageTemplate,
  TEMPLATE_VARIABLES,
  allowedVariables,
  isMessageKind,
  isMessageLanguage,
  type CommonTemplateVariable,
  type MessageKind,
  type MessageLanguage,
  type TemplateValues,
  type TemplateVariable,
} from '../models/MessageTemplate';
export {
  GSM7_CONCAT,
  GSM7_SINGLE,
  UCS2_CONCAT,
  UCS2_SINGLE,
  isGsm7,
  nonGsm7Characters,
  smsCost,
  smsSegments,
  type SmsEncoding,
  type SmsSegmentInfo,
} from '../models/SmsSegments';
export { normalizeInboundText, parseInboundSms, type InboundIntent } from '../models/InboundSms';
export {
  decideSmsBudget,
  type BudgetDecision,
  type SmsBudgetLimits,
  type SmsUsage,
} from '../models/SmsBudget';
// THE SMS renderer, one file shared with the sender (the edge functions deploy without src/, so the file
// lives with them and the app imports it from there): the admin preview shows what the patient receives.
export {
  etaPhrase,
  renderTemplate,
  roomLabel,
  type EtaDisplay,
  type SmsLanguage,
  type SmsValues,
} from '../../../../supabase/functions/_shared/render';
export {
  SAMPLE_VALUES,
  TEMPLATE_KINDS,
  defaultTemplateText,
  messageCost,
  renderPreview,
  templateModelKind,
  templateVariables,
  type TemplateKind,
  type TemplateLanguage,
} from '../models/TemplateEditing';
export { REMINDER_MAX_MINUTES, REMINDER_MIN_MINUTES, checkReminderMinutes } from '../models/ReminderSetting';
export type { ChannelName } from '../models/ChannelChoice';
export {
  CONTENT_SID_SHAPE,
  MAX_WHATSAPP_VARIABLES,
  WHATSAPP_SENDER_SHAPE,
  whatsAppSettingsProblem,
} from '../models/WhatsAppSettings';
