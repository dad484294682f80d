import { describe, expect, it } from 'vitest';
import {
  DEFAULT_TEMPLATE_TEXTS,
  FALLBACK_LANGUAGE,
  defaultTemplate,
  resolveTemplate,
} from './DefaultTemplates';
import {
  MESSAGE_KINDS,
  MESSAGE_LANGUAGES,
  MessageTemplate,
  TEMPLATE_VARIABLES,
  allowedVariables,
  isMessageKind,
} from './MessageTemplate';
import type { MessageKind, MessageLanguage, TemplateValues } from './MessageTemplate';
import { smsSegments } from './SmsSegments';

const create = (body: string, kind: MessageKind = 'your_turn', language: MessageLanguage = 'fr') =>
  MessageTemplate.create({ kind, language, body });
const mustCreate = (body: string, kind?: MessageKind, language?: MessageLanguage) => {
  const r = create(body, kind, language);
  if (!r.ok) throw new Error(r.error.message);
  return r.value;
};

const sample: Required<TemplateValues> = {
  patient_name: 'Fatima Zahra',
  clinic_name: 'Cabinet Dr Alami',
  ticket: 'A-014',
  position: 3,
  eta: 'environ 25 min (20-35)',
  room: 'Salle 2',
  grace_minutes: 10,
  tracking_url: 'https://q.example/t/abc123',
  appointment_time: 'mar. 17/02 09:30',
  cancel_url: 'https://q.example/me',
  offer_expires_at: '09:45',
  offer_url: 'https://q.example/me',
  arrive_by: '10:30',
  invitation_url: 'https://q.example/i/xyz',
  code: '482913',
  webhook_url: 'https://hooks.example.com/queuemed',
  failures: 20,
};

describe('MessageTemplate', () => {
  it('Notifications: a template with an unknown variable cannot be saved', () => {
    const r = create('Bonjour {patient_nmae}, ticket {ticket} {doctor}');
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.error.code).toBe('TEMPLATE.UNKNOWN_VARIABLE');
    expect(r.error.details?.['unknown']).toEqual(['patient_nmae', 'doctor']);
    expect(r.error.details?.['allowed']).toEqual(expect.arrayContaining([...TEMPLATE_VARIABLES]));
  });

  it.each([
    ['Bonjour {patient_name', '{patient_name'],
    ['Bonjour patient_name}', 'patient_name}'],
    ['Bonjour {pat{ticket}', '{pat'],
    ['Bonjour {}', '{}'],
    ['Bonjour { }', '{ }'],
  ])('refuses malformed braces: %j', (body, fragment) => {
    const r = create(body);
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.error.code).toBe('TEMPLATE.UNKNOWN_VARIABLE');
    expect(r.error.details?.['malformed']).toEqual([expect.stringContaining(fragment.slice(-6))]);
  });

  it('refuses a variable name in the wrong case or with spaces (no guessing)', () => {
    const r = create('{Patient_Name} {patient name}');
    expect(!r.ok && r.error.details?.['unknown']).toEqual(['Patient_Name', 'patient name']);
  });

  it('accepts every DOMAIN.md variable in every kind, and kind-specific ones only in their kind', () => {
    const all = TEMPLATE_VARIABLES.map((v) => `{${v}}`).join(' ');
    for (const kind of MESSAGE_KINDS) expect(create(all, kind).ok, kind).toBe(true);
    expect(create('{code}', 'otp').ok).toBe(true);
    expect(create('{code}', 'your_turn').ok).toBe(false);
    expect(create('{appointment_time}', 'booking_confirmed').ok).toBe(true);
    expect(create('{invitation_url}', 'staff_invitation').ok).toBe(true);
    expect(create('{webhook_url} {failures}', 'webhook_disabled').ok).toBe(true);
    expect(create('{webhook_url}', 'your_turn').ok).toBe(false);
    expect(allowedVariables('otp')).toContain('code');
  });

  it('refuses an empty body, an overlong body, an unknown kind or language', () => {
    const empty = create('   ');
    expect(!empty.ok && empty.error.code).toBe('TEMPLATE.EMPTY');
    const long = create('x'.repeat(1001));
    expect(!long.ok && long.error.code).toBe('VALIDATION.FAILED');
    expect(create('x'.repeat(1000)).ok).toBe(true);
    const kind = MessageTemplate.create({ kind: 'party' as MessageKind, language: 'fr', body: 'x' });
    expect(!kind.ok && kind.error.code).toBe('VALIDATION.FAILED');
    const lang = MessageTemplate.create({ kind: 'otp', language: 'de' as MessageLanguage, body: 'x' });
    expect(!lang.ok && lang.error.code).toBe('VALIDATION.FAILED');
    expect(isMessageKind('your_turn')).toBe(true);
    expect(isMessageKind(3)).toBe(false);
  });

  it('renders the variables, lists the ones it uses, and trims the body', () => {
    const t = mustCreate('  {patient_name}, ticket {ticket} : {room}. Encore {patient_name} ');
    expect(t.body).toBe('{patient_name}, ticket {ticket} : {room}. Encore {patient_name}');
    expect(t.variables).toEqual(['patient_name', 'ticket', 'room']);
    expect(t.render(sample)).toEqual({
      ok: true,
      value: 'Fatima Zahra, ticket A-014 : Salle 2. Encore Fatima Zahra',
    });
  });

  it('a value never re-expands and cannot break the message into lines', () => {
    const t = mustCreate('Bonjour {patient_name}, ticket {ticket}');
    const r = t.render({ patient_name: '{ticket}\n\tHACK\u0007 ', ticket: 'A-001' });
    expect(r).toEqual({ ok: true, value: 'Bonjour {ticket} HACK, ticket A-001' });
  });

  it('rendering without a value the template needs is a coded failure listing what is missing', () => {
    const r = mustCreate('{patient_name} {room} {ticket}').render({ ticket: 'A-1' });
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.error.code).toBe('VALIDATION.FAILED');
    expect(r.error.details?.['missing']).toEqual(['patient_name', 'room']);
  });

  it('renders numbers such as position 0 and grace minutes', () => {
    expect(mustCreate('{position}/{grace_minutes}').render({ position: 0, grace_minutes: 10 })).toEqual({
      ok: true,
      value: '0/10',
    });
  });

  it('is immutable', () => {
    expect(Object.isFrozen(mustCreate('x'))).toBe(true);
  });
});

describe('built-in templates', () => {
  it('exist for every kind in ar, fr and en, are valid and render with realistic values', () => {
    for (const kind of MESSAGE_KINDS) {
      for (const language of MESSAGE_LANGUAGES) {
        const t = defaultTemplate(kind, language);
        expect(t.kind).toBe(kind);
        expect(t.language).toBe(language);
        expect(t.body).toBe(DEFAULT_TEMPLATE_TEXTS[kind][language]);
        const r = t.render(sample);
        expect(r.ok, `${kind}/${language}`).toBe(true);
      }
    }
  });

  it('say what each event needs: room for your turn, grace minutes for absent, position for returned', () => {
    for (const language of MESSAGE_LANGUAGES) {
      expect(defaultTemplate('your_turn', language).variables).toContain('room');
      expect(defaultTemplate('marked_absent', language).variables).toContain('grace_minutes');
      expect(defaultTemplate('returned', language).variables).toContain('position');
      expect(defaultTemplate('almost_turn', language).variables).toEqual(
        expect.arrayContaining(['position', 'eta']),
      );
      expect(defaultTemplate('booking_confirmed', language).variables).toContain('tracking_url');
      expect(defaultTemplate('otp', language).variables).toEqual(['code']);
    }
  });

  it('French and English texts stay in GSM-7 (cheap); Arabic texts are Arabic (UCS-2)', () => {
    for (const kind of MESSAGE_KINDS) {
      for (const language of ['fr', 'en'] as const) {
        const rendered = defaultTemplate(kind, language).render(sample);
        expect(rendered.ok && smsSegments(rendered.value).encoding, `${kind}/${language}`).toBe('GSM-7');
      }
      const ar = defaultTemplate(kind, 'ar').render(sample);
      expect(ar.ok && /[\u0600-\u06FF]/.test(ar.value), kind).toBe(true);
    }
  });

  it('the time-critical messages fit in at most 2 segments in every language', () => {
    for (const kind of ['your_turn', 'still_next', 'otp'] as const) {
      for (const language of MESSAGE_LANGUAGES) {
        const r = defaultTemplate(kind, language).render(sample);
        expect(r.ok && smsSegments(r.value).segments, `${kind}/${language}`).toBeLessThanOrEqual(2);
      }
    }
  });
});

describe('language fallback: the patient’s language is used, else the clinic’s, else the built-in default', () => {
  const clinicFr = mustCreate('{clinic_name}: a vous, {room}', 'your_turn', 'fr');
  const clinicAr = mustCreate('{clinic_name}: دورك، {room}', 'your_turn', 'ar');

  it("uses the clinic's template in the patient's language", () => {
    const r = resolveTemplate({
      kind: 'your_turn',
      patientLanguage: 'ar',
      clinicLanguage: 'fr',
      clinicTemplates: [clinicFr, clinicAr],
    });
    expect(r).toEqual({ template: clinicAr, language: 'ar', source: 'clinic' });
  });

  it("falls back to the built-in text in the patient's language, not to the clinic's text in another", () => {
    const r = resolveTemplate({
      kind: 'your_turn',
      patientLanguage: 'en',
      clinicLanguage: 'fr',
      clinicTemplates: [clinicFr],
    });
    expect(r.source).toBe('default');
    expect(r.language).toBe('en');
    expect(r.template).toBe(defaultTemplate('your_turn', 'en'));
  });

  it("uses the clinic's language when the patient has none (or an unsupported one)", () => {
    for (const patientLanguage of [undefined, null, 'de']) {
      const r = resolveTemplate({
        kind: 'your_turn',
        patientLanguage,
        clinicLanguage: 'fr',
        clinicTemplates: [clinicFr],
      });
      expect(r).toEqual({ template: clinicFr, language: 'fr', source: 'clinic' });
    }
  });

  it('uses the built-in default when neither language is usable', () => {
    const r = resolveTemplate({ kind: 'no_show' });
    expect(r).toEqual({
      template: defaultTemplate('no_show', FALLBACK_LANGUAGE),
      language: 'fr',
      source: 'default',
    });
  });

  it('ignores clinic templates of another kind', () => {
    const r = resolveTemplate({ kind: 'still_next', patientLanguage: 'fr', clinicTemplates: [clinicFr] });
    expect(r.source).toBe('default');
  });
});
