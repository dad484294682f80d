/**
 * src/ validates with zod/mini through src/services/shared/zod.ts (issue 14: classic zod was 25 KiB gzipped on
 * every signed-in screen). Two things a regression would break: a file importing classic 'zod' again (the
 * bundle grows back silently) and zod/mini's missing locale (every issue message would read "Invalid input",
 * in the REST API's 422 bodies too).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { BookInputSchema } from '../../src/services/appointment/BookingService';
import { InviteInputSchema } from '../../src/services/clinic/StaffService';

const root = join(__dirname, '..', '..');
const sources = (dir: string): string[] =>
  readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? sources(join(dir, e.name)) : /\.tsx?$/.test(e.name) ? [join(dir, e.name)] : [],
  );

describe('zod in the browser code', () => {
  it('src/ imports zod only through shared/zod.ts (zod/mini), never classic zod', () => {
    const offenders = sources(join(root, 'src'))
      .filter((f) => !f.endsWith(join('services', 'shared', 'zod.ts')))
      .filter((f) => /from ['"]zod(\/[^'"]*)?['"]/.test(readFileSync(f, 'utf8')))
      .map((f) => relative(root, f));
    expect(offenders).toEqual([]);
  });

  it("keeps classic zod's English issue messages (zod/mini loads no locale by itself)", () => {
    const r = BookInputSchema.safeParse(null);
    expect(r.success).toBe(false);
    expect(r.error?.issues[0]?.message).toBe('Invalid input: expected object, received null');
    const invite = InviteInputSchema.safeParse({ role: 'admin', displayName: '', phone: '+212600000001' });
    expect(invite.error?.issues.map((i) => i.message)).toEqual([
      'Too small: expected string to have >=1 characters',
    ]);
  });

  it('the services’ checks still run: trim, length, refine', () => {
    expect(
      InviteInputSchema.safeParse({ role: 'admin', displayName: '  Sara  ', phone: '+212600000001' }).data,
    ).toMatchObject({ displayName: 'Sara' });
    const neither = InviteInputSchema.safeParse({ role: 'admin', displayName: 'Sara' });
    expect(neither.error?.issues.map((i) => [i.path.join('.'), i.message])).toEqual([
      ['email', 'an email or a phone is required'],
    ]);
  });
});
