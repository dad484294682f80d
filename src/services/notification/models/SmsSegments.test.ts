import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isGsm7, nonGsm7Characters, smsCost, smsSegments } from './SmsSegments';

describe('SMS cost follows segments: 160 GSM-7 characters or 70 UCS-2 (Arabic) characters per segment, fewer when concatenated', () => {
  it('counts GSM-7 text: 160 characters in one segment, 153 per segment once split', () => {
    expect(smsSegments('a'.repeat(160))).toMatchObject({ encoding: 'GSM-7', units: 160, segments: 1 });
    expect(smsSegments('a'.repeat(161))).toMatchObject({ segments: 2, unitsPerSegment: 153 });
    expect(smsSegments('a'.repeat(306)).segments).toBe(2);
    expect(smsSegments('a'.repeat(307)).segments).toBe(3);
    expect(smsSegments('a'.repeat(100)).remainingInLastSegment).toBe(60);
    expect(smsSegments('a'.repeat(200)).remainingInLastSegment).toBe(153 - 47);
  });

  it('counts the extension table characters as 2 and never splits them', () => {
    expect(smsSegments('€').units).toBe(2);
    expect(smsSegments('{}[]~^|\\€').units).toBe(18);
    expect(smsSegments('€'.repeat(80))).toMatchObject({ encoding: 'GSM-7', units: 160, segments: 1 });
    expect(smsSegments('€'.repeat(81)).segments).toBe(2);
    // 152 + an escape pair = 154 > 153: the pair moves whole to the next segment
    expect(smsSegments('a'.repeat(152) + '€' + 'a'.repeat(10))).toMatchObject({ segments: 2, units: 164 });
    expect(smsSegments('a'.repeat(152) + '€' + 'a'.repeat(10)).remainingInLastSegment).toBe(153 - 12);
  });

  it('French with é, è, à, ù stays GSM-7; ê, ç and curly quotes switch to UCS-2', () => {
    expect(isGsm7("Votre rendez-vous est confirmé, présentez-vous à l'accueil où il y a")).toBe(true);
    expect(smsSegments('Vous êtes le prochain').encoding).toBe('UCS-2');
    expect(nonGsm7Characters('Ça, c’est prêt')).toEqual(['’', 'ê']);
    expect(nonGsm7Characters('Ça va')).toEqual([]); // capital Ç is in the basic table
  });

  it('counts Arabic (UCS-2): 70 characters in one segment, 67 per segment once split', () => {
    const ar = 'م';
    expect(smsSegments(ar.repeat(70))).toMatchObject({ encoding: 'UCS-2', units: 70, segments: 1 });
    expect(smsSegments(ar.repeat(71))).toMatchObject({ segments: 2, unitsPerSegment: 67 });
    expect(smsSegments(ar.repeat(134)).segments).toBe(2);
    expect(smsSegments(ar.repeat(135)).segments).toBe(3);
  });

  it('counts an emoji (outside the BMP) as 2 UCS-2 units and never splits it', () => {
    expect(smsSegments('😀')).toMatchObject({ encoding: 'UCS-2', units: 2, segments: 1 });
    expect(smsSegments('😀'.repeat(35)).segments).toBe(1);
    expect(smsSegments('😀'.repeat(35) + 'a').segments).toBe(2);
    expect(smsSegments('a' + '😀'.repeat(33) + '😀').units).toBe(69);
    // 66 units + an emoji would straddle 67: it goes whole to the next segment
    expect(smsSegments('a'.repeat(66) + '😀' + 'ب'.repeat(10))).toMatchObject({ units: 78, segments: 2 });
    expect(smsSegments('a'.repeat(66) + '😀' + 'ب'.repeat(10)).remainingInLastSegment).toBe(67 - 12);
  });

  it('an empty text costs nothing', () => {
    expect(smsSegments('').segments).toBe(0);
    expect(smsCost('', 35)).toEqual({ segments: 0, cost: 0 });
  });

  it('cost = segments × unit price (in minor units)', () => {
    expect(smsCost('a'.repeat(161), 35)).toEqual({ segments: 2, cost: 70 });
    expect(smsCost('م'.repeat(135), 35)).toEqual({ segments: 3, cost: 105 });
    expect(() => smsCost('a', -1)).toThrow(RangeError);
    expect(() => smsCost('a', Number.NaN)).toThrow(RangeError);
  });

  const smsText = fc.string({
    unit: fc.constantFrom('a', 'Z', ' ', 'é', '€', '{', 'م', 'ê', '😀', '\n'),
    maxLength: 400,
  });

  it('property: the segment count never decreases when the text grows', () => {
    fc.assert(
      fc.property(smsText, smsText, (a, b) => {
        expect(smsSegments(a + b).segments).toBeGreaterThanOrEqual(smsSegments(a).segments);
      }),
    );
  });

  it('property: segments are enough to carry every unit, and not one more than needed', () => {
    fc.assert(
      fc.property(smsText, (text) => {
        const s = smsSegments(text);
        if (text === '') return;
        const capacity = s.segments === 1 ? s.unitsPerSegment : s.segments * s.unitsPerSegment;
        expect(s.units).toBeLessThanOrEqual(capacity);
        // the greedy packing wastes at most 1 unit per segment boundary (an indivisible pair)
        if (s.segments > 1) expect(s.units).toBeGreaterThan((s.segments - 1) * (s.unitsPerSegment - 1));
        expect(s.remainingInLastSegment).toBeGreaterThanOrEqual(0);
      }),
    );
  });
});
