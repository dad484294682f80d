import { describe, expect, it } from 'vitest';
import { checkInTooEarlyParams } from '../../../components/errorParams';
import { appError, ErrorCodes, isOutcomeUnknown } from '../AppError';
import { err, ok } from '../Result';
import { detailData, guard, mapPostgrestError, thrownToAppError } from './postgrest';

describe('mapPostgrestError', () => {
  it('marks an answer that never came (status 0) or an uncoded 5xx as outcome unknown, never a coded refusal', () => {
    const lost = { code: '', message: 'TypeError: fetch failed', details: '', hint: '' };
    expect(isOutcomeUnknown(mapPostgrestError(lost, 0))).toBe(true);
    expect(isOutcomeUnknown(mapPostgrestError({ code: 'XX000', message: 'boom' }, 502))).toBe(true);
    expect(isOutcomeUnknown(thrownToAppError(new TypeError('fetch failed')))).toBe(true);
    expect(
      isOutcomeUnknown(mapPostgrestError({ code: 'PT409', message: 'QUEUE.VERSION_CONFLICT' }, 409)),
    ).toBe(false);
    expect(isOutcomeUnknown(mapPostgrestError({ code: '42501', message: 'denied' }, 403))).toBe(false);
  });

  it('reads a coded error’s JSON detail as data (camelCase), not as its message', () => {
    const e = mapPostgrestError(
      {
        code: 'PT409',
        message: 'QUEUE.CHECK_IN_TOO_EARLY',
        details:
          '{"opens_at": "2026-03-02T08:23:00.000Z", "window_minutes": 37, "slot_start": "2026-03-02T09:00:00.000Z"}',
        hint: null,
      },
      409,
    );
    expect(e.code).toBe(ErrorCodes.QUEUE_CHECK_IN_TOO_EARLY);
    expect(e.details).toMatchObject({
      opensAt: '2026-03-02T08:23:00.000Z',
      windowMinutes: 37,
      slotStart: '2026-03-02T09:00:00.000Z',
      pgCode: 'PT409',
      status: 409,
    });
    expect(e.message).toBe('QUEUE.CHECK_IN_TOO_EARLY');
    // the screen's figures come from that data, whatever the clinic setting the screen holds
    expect(checkInTooEarlyParams(e, { windowMinutes: 60, timeOf: (iso) => iso.slice(11, 16) })).toEqual({
      count: 37,
      time: '08:23',
      variant: 'at',
    });
  });

  it('keeps an English detail as the message, and an English sentence with a number is not read as data', () => {
    const e = mapPostgrestError(
      {
        code: 'PT409',
        message: 'QUEUE.CHECK_IN_TOO_EARLY',
        details: 'check-in opens 30 minutes before the slot',
      },
      409,
    );
    expect(e.message).toBe('check-in opens 30 minutes before the slot');
    // no number is taken out of the words: the screen falls back to the clinic's setting it knows
    expect(checkInTooEarlyParams(e, { windowMinutes: 60 })).toEqual({ count: 60 });
  });

  it('detailData accepts only a JSON object', () => {
    expect(detailData('{"a_b": 1}')).toEqual({ aB: 1 });
    expect(detailData('[1]')).toBeNull();
    expect(detailData('{not json')).toBeNull();
    expect(detailData(null)).toBeNull();
  });

  it('a raw deadlock, serialization failure or lock timeout is the coded, retryable CONCURRENCY.RETRY', () => {
    for (const code of ['40P01', '40001', '55P03'])
      expect(mapPostgrestError({ code, message: 'deadlock detected' }, 500).code).toBe(
        ErrorCodes.CONCURRENCY_RETRY,
      );
    expect(mapPostgrestError({ code: 'PT409', message: 'CONCURRENCY.RETRY' }, 409).code).toBe(
      ErrorCodes.CONCURRENCY_RETRY,
    );
    expect(mapPostgrestError({ code: 'XX000', message: 'boom' }, 500).code).toBe(ErrorCodes.INTERNAL);
  });
});

describe('guard', () => {
  it('turns what an adapter call throws into its coded AppError: a lost request is INTERNAL, outcome unknown', async () => {
    const r = await guard(async () => {
      throw new TypeError('fetch failed');
    });
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.error.code).toBe(ErrorCodes.INTERNAL);
    expect(r.error.message).toBe('fetch failed');
    expect(isOutcomeUnknown(r.error)).toBe(true);
    // a throw before the first await (a sync body) is caught the same way
    const sync = await guard((() => {
      throw new Error('bad call');
    }) as () => Promise<never>);
    expect(sync).toMatchObject({ ok: false, error: { code: ErrorCodes.INTERNAL, message: 'bad call' } });
  });

  it('keeps a thrown coded AppError as it is (code, message, details)', async () => {
    const coded = appError(ErrorCodes.QUEUE_VERSION_CONFLICT, 'stale', { pgCode: 'PT409' });
    const r = await guard(async () => {
      throw coded;
    });
    expect(r).toEqual(err(coded));
    expect(!r.ok && isOutcomeUnknown(r.error)).toBe(false);
  });

  it('passes the Result the call answers through untouched, a value or a refusal', async () => {
    const value = ok({ id: 'e1' });
    expect(await guard(async () => value)).toBe(value);
    const refusal = err(appError(ErrorCodes.NOT_FOUND, 'no such visit'));
    expect(await guard(async () => refusal)).toBe(refusal);
  });
});
