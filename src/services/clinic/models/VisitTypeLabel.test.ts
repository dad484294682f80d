import { describe, expect, it } from 'vitest';
import { visitTypeLabel } from './VisitTypeLabel';
import { VISIT_TYPE_COLORS } from './VisitTypePalette';

describe('visitTypeLabel', () => {
  const type = { name: 'Consultation', names: { ar: 'استشارة', en: ' ' } };
  it('says the name in the reader’s language', () => {
    expect(visitTypeLabel(type, 'ar')).toBe('استشارة');
  });
  it('falls back to the default name for a missing or blank language, or none at all', () => {
    expect(visitTypeLabel(type, 'fr')).toBe('Consultation');
    expect(visitTypeLabel(type, 'en')).toBe('Consultation');
    expect(visitTypeLabel({ name: 'Suivi' }, 'ar')).toBe('Suivi');
  });
  it('has the palette the database accepts: distinct lower-case #rrggbb', () => {
    expect(new Set(VISIT_TYPE_COLORS).size).toBe(VISIT_TYPE_COLORS.length);
    for (const c of VISIT_TYPE_COLORS) expect(c).toMatch(/^#[0-9a-f]{6}$/);
  });
});
