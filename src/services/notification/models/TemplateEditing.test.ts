import { describe, expect, it } from 'vitest';
import {
  TEMPLATE_KINDS,
  defaultTemplateText,
  messageCost,
  renderPreview,
  templateVariables,
} from './TemplateEditing';

describe('template preview and cost', () => {
  it('fills every known variable and leaves unknown ones visible', () => {
    expect(renderPreview('{patient_name}, ticket {ticket} → {room}. {nope}')).toBe(
      'Amine Tazi, ticket A-014 → Salle 2. {nope}',
    );
  });
  it('counts Arabic as UCS-2 (70 per segment) and plain French as GSM-7 (160)', () => {
    expect(messageCost('a'.repeat(160))).toMatchObject({ segments: 1, encoding: 'GSM-7' });
    expect(messageCost('a'.repeat(161)).segments).toBe(2);
    expect(messageCost('ب'.repeat(71))).toMatchObject({ segments: 2, encoding: 'UCS-2' });
  });
  it('has a default text for every database kind and language, using only allowed variables', () => {
    for (const k of TEMPLATE_KINDS)
      for (const l of ['ar', 'fr', 'en'] as const) {
        const body = defaultTemplateText(k, l);
        expect(body.length).toBeGreaterThan(0);
        for (const [, v] of body.matchAll(/\{([a-z_]+)\}/g)) expect(templateVariables(k)).toContain(v);
      }
  });
});
