import { describe, expect, it } from 'vitest';
import { MessageLogRowSchema, messageView } from './messageLog';

const row = {
  id: '00000000-0000-4000-8000-000000000001',
  kind: 'webhook_disabled',
  status: 'sent',
  language: 'fr',
  body: 'Cabinet Anfa : webhook désactivé',
  segments: null,
  channel: 'email',
  skip_reason: null,
  fallback_of: null,
  hard_bounce: false,
  created_at: '2026-12-01 10:00:00.123+00',
};

describe('the message log mapping (one for the admin screen, REST and MCP)', () => {
  it('a notifications row → a logged message → the API view, every field carried and the time in ISO UTC', () => {
    const logged = MessageLogRowSchema.parse(row);
    expect(logged).toMatchObject({ kind: 'webhook_disabled', skipReason: null, hardBounce: false });
    expect(messageView(logged)).toEqual({
      id: row.id,
      kind: 'webhook_disabled',
      status: 'sent',
      language: 'fr',
      body: 'Cabinet Anfa : webhook désactivé',
      segments: null,
      channel: 'email',
      skipReason: null,
      fallbackOf: null,
      hardBounce: false,
      createdAt: '2026-12-01T10:00:00.123Z',
    });
  });

  it('an SMS sent in place of a refused email keeps its link; a skip keeps its reason; a push row is read', () => {
    const fallback = messageView(
      MessageLogRowSchema.parse({ ...row, channel: 'sms', fallback_of: row.id.replace(/1$/, '2') }),
    );
    expect(fallback.fallbackOf).toBe('00000000-0000-4000-8000-000000000002');
    const skipped = messageView(
      MessageLogRowSchema.parse({ ...row, status: 'skipped', skip_reason: 'no_phone', body: null }),
    );
    expect([skipped.status, skipped.skipReason, skipped.body]).toEqual(['skipped', 'no_phone', null]);
    expect(messageView(MessageLogRowSchema.parse({ ...row, channel: 'push' })).channel).toBe('push');
    // a view of a message from an older in-memory log without the optional fields: explicit defaults
    const { fallbackOf: _f, hardBounce: _h, ...older } = MessageLogRowSchema.parse(row);
    expect(messageView(older)).toMatchObject({ fallbackOf: null, hardBounce: false });
  });

  it('refuses a row with an unknown channel or skip reason (the repository reports it, nothing is guessed)', () => {
    expect(MessageLogRowSchema.safeParse({ ...row, channel: 'fax' }).success).toBe(false);
    expect(MessageLogRowSchema.safeParse({ ...row, skip_reason: 'busy' }).success).toBe(false);
  });
});
