/**
 * Issue 15.8: an Arabic SMS reads right on any phone. Values that are not plain Arabic (tickets, links,
 * phones, Latin names) are isolated (FSI … PDI); a text that would start with a Latin letter starts with RLM;
 * a value's own bidi controls are dropped. French and English texts are unchanged.
 */
import assert from 'node:assert/strict';

const assertEquals = (actual: string, expected: string) => assert.equal(actual, expected);
import { renderTemplate } from './render.ts';

const FSI = '\u2068';
const PDI = '\u2069';
const RLM = '\u200f';

Deno.test('Arabic: ticket, link, phone and Latin names isolated; RLM before a Latin clinic name', () => {
  assertEquals(
    renderTemplate(
      '{clinic_name}: {patient_name}، حان دورك! التذكرة {ticket}. {tracking_url}',
      {
        clinic_name: 'Cabinet Anfa',
        patient_name: 'Amine Tazi',
        ticket: 'A-007',
        tracking_url: 'https://q.ma/t/x',
      },
      'ar',
    ),
    `${RLM}${FSI}Cabinet Anfa${PDI}: ${FSI}Amine Tazi${PDI}، حان دورك! التذكرة ${FSI}A-007${PDI}. ${FSI}https://q.ma/t/x${PDI}`,
  );
  assertEquals(
    renderTemplate('اتصل بنا: {phone}.', { phone: '+212522000000' }, 'ar'),
    `اتصل بنا: ${FSI}+212522000000${PDI}.`,
  );
});

Deno.test('Arabic: an Arabic name, a bare number and an Arabic phrase stay as they are; no RLM', () => {
  assertEquals(
    renderTemplate(
      '{clinic_name}: {patient_name}، ترتيبك {position}، الانتظار {eta}.',
      { clinic_name: 'عيادة أنفا', patient_name: 'عبد الله', position: 3, eta: 'حوالي 25 دقيقة (20-35)' },
      'ar',
    ),
    'عيادة أنفا: عبد الله، ترتيبك 3، الانتظار حوالي 25 دقيقة (20-35).',
  );
});

Deno.test('a value cannot reorder the message: its own bidi controls are dropped', () => {
  assertEquals(
    renderTemplate('مرحبًا {patient_name}.', { patient_name: 'عبد\u202e الله\u2066' }, 'ar'),
    'مرحبًا عبد الله.',
  );
  assertEquals(renderTemplate('Hello {patient_name}.', { patient_name: 'Ann\u202eA' }, 'en'), 'Hello AnnA.');
});

Deno.test('French and English: nothing added', () => {
  assertEquals(
    renderTemplate(
      '{clinic_name} : {patient_name}, ticket {ticket}.',
      { clinic_name: 'Cabinet Anfa', patient_name: 'Amine', ticket: 'A-007' },
      'fr',
    ),
    'Cabinet Anfa : Amine, ticket A-007.',
  );
});
