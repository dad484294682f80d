// The light validator keeps zod's semantics for what it offers (publicScreens.shapes.test.ts covers the shapes).
import { describe, expect, it } from 'vitest';
import * as v from './lightSchema';

describe('lightSchema', () => {
  it('numbers are finite; int is a safe integer', () => {
    for (const bad of [Number.NaN, Infinity, -Infinity, '1', null])
      expect(v.number().safeParse(bad).success).toBe(false);
    expect(v.int().safeParse(2 ** 53).success).toBe(false);
    expect(v.int().safeParse(1.5).success).toBe(false);
    expect(v.int().safeParse(-3)).toEqual({ success: true, data: -3 });
  });
  it('says where the first problem is', () => {
    const s = v.object({ a: v.array(v.object({ b: v.nullable(v.string()) })) });
    expect(s.safeParse({ a: [{ b: null }, { b: 3 }] })).toEqual({
      success: false,
      error: { issues: [{ path: '.a[1].b', message: 'expected string' }] },
    });
  });
  it('optional keys may be absent or undefined; required ones may not', () => {
    const s = v.object({ a: v.optional(v.number()), b: v.string() });
    expect(s.safeParse({ b: 'x' })).toEqual({ success: true, data: { b: 'x' } });
    expect(s.safeParse({ a: undefined, b: 'x' }).success).toBe(true);
    expect(s.safeParse({ a: 1 }).success).toBe(false);
  });
  it('a union takes the first option that fits; enum and literal match exactly', () => {
    const s = v.union([
      v.object({ kind: v.literal('a'), n: v.number() }),
      v.object({ kind: v.literal('b') }),
    ]);
    expect(s.safeParse({ kind: 'b', n: 'x' })).toEqual({ success: true, data: { kind: 'b' } });
    expect(s.safeParse({ kind: 'a' }).success).toBe(false);
    expect(v.enum(['x', 'y']).safeParse('X').success).toBe(false);
  });
  it('a bug inside a refinement is thrown, not reported as a bad payload', () => {
    const s = v.refine(
      v.string(),
      () => {
        throw new TypeError('bug');
      },
      'never',
    );
    expect(() => s.safeParse('a')).toThrow(TypeError);
  });
});
