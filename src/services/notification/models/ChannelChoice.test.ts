import { describe, expect, it } from 'vitest';
import { chooseChannel, type ChannelName, type Reach } from './ChannelChoice';

const reachOf =
  (m: Partial<Record<ChannelName, Reach>>) =>
  (c: ChannelName): Reach =>
    m[c] ?? 'no_address';

describe('chooseChannel', () => {
  it("the patient's preference first, when it reaches them", () => {
    expect(
      chooseChannel({
        preference: 'email',
        clinicDefault: 'sms',
        wired: ['sms', 'email'],
        reach: reachOf({ sms: 'ok', email: 'ok' }),
      }),
    ).toEqual({ channel: 'email' });
  });
  it("then the clinic's default, then the fallback order", () => {
    expect(
      chooseChannel({
        preference: 'email',
        clinicDefault: 'sms',
        wired: ['sms', 'email'],
        reach: reachOf({ sms: 'ok', email: 'no_address' }),
      }),
    ).toEqual({ channel: 'sms' });
    expect(
      chooseChannel({
        preference: null,
        clinicDefault: 'sms',
        fallbackOrder: ['sms', 'email'],
        wired: ['sms', 'email'],
        reach: reachOf({ sms: 'opted_out', email: 'ok' }),
      }),
    ).toEqual({ channel: 'email' });
  });
  it('skips a channel with no adapter wired', () => {
    expect(
      chooseChannel({
        preference: 'email',
        clinicDefault: null,
        wired: ['sms'],
        reach: reachOf({ sms: 'ok', email: 'ok' }),
      }),
    ).toEqual({ channel: 'sms' });
  });
  it('none: opted out when a channel that could reach them was refused, else no address', () => {
    expect(
      chooseChannel({
        preference: null,
        clinicDefault: null,
        wired: ['sms'],
        reach: reachOf({ sms: 'opted_out' }),
      }),
    ).toEqual({ channel: null, reason: 'opted_out' });
    expect(
      chooseChannel({ preference: null, clinicDefault: null, wired: ['sms', 'email'], reach: reachOf({}) }),
    ).toEqual({ channel: null, reason: 'no_address' });
  });
});
