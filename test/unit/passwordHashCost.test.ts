import bcrypt from 'bcryptjs';
import { describe, expect, it } from 'vitest';
import { DEFAULT_AUTH_OPTIONS } from '../../supabase/local/auth/gotrue';
import { limitsFromEnv } from '../../supabase/local/limitsEnv';

// Issue 14 (CI time): the embedded test stacks hash passwords at bcrypt cost 4 (test/fixtures/localStack.ts
// TEST_AUTH); `npm start` — and so the e2e suite and every deployment of the local stack — keeps GoTrue's cost.
describe('password hash cost', () => {
  it("is GoTrue's bcrypt.DefaultCost (10) unless a caller of startStack asks otherwise", () => {
    expect(DEFAULT_AUTH_OPTIONS.passwordHashCost).toBe(10);
  });

  it('npm start does not lower it: the auth options main() reads from the environment leave it alone', () => {
    const fromEnv = limitsFromEnv({ QUEUEMED_PASSWORD_HASH_COST: '4' }, DEFAULT_AUTH_OPTIONS);
    expect(fromEnv).not.toHaveProperty('passwordHashCost');
    expect({ ...DEFAULT_AUTH_OPTIONS, ...fromEnv }.passwordHashCost).toBe(10);
  });

  it('a sign-in compares with the cost stored in the hash: hashes of either cost verify, wrong passwords fail', async () => {
    for (const cost of [4, 10]) {
      const hash = await bcrypt.hash('correct horse', cost);
      expect(hash).toMatch(new RegExp(`^\\$2[aby]\\$${String(cost).padStart(2, '0')}\\$`));
      expect(await bcrypt.compare('correct horse', hash)).toBe(true);
      expect(await bcrypt.compare('wrong horse', hash)).toBe(false);
    }
  });
});
