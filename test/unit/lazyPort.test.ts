/**
 * src/services/composition/lazyPort.ts: a repository port whose adapter loads on the first call (the booking
 * adapters, off the desk's first load — issue 14). It must behave as the adapter itself: same answers, same
 * `this`, one load however many calls race, a coded error (never a rejection or a raw stack) when the adapter's
 * code cannot be loaded, and a new try on the next call.
 */
import { describe, expect, it, vi } from 'vitest';
import { lazyPort, lazyService } from '../../src/services/composition/lazyPort';
import { appError, ErrorCodes, type AppError } from '../../src/services/shared/AppError';
import { err, ok, type Result } from '../../src/services/shared/Result';

interface SlotsPort {
  freeSlots(clinicId: string, from: string): Promise<Result<readonly string[], AppError>>;
  cancel(entryId: string): Promise<Result<{ entryId: string }, AppError>>;
}

class FakeSlots implements SlotsPort {
  calls: unknown[][] = [];
  constructor(private readonly prefix: string) {}
  async freeSlots(clinicId: string, from: string) {
    this.calls.push([clinicId, from]);
    return ok([`${this.prefix}:${clinicId}:${from}`]);
  }
  async cancel(entryId: string) {
    return entryId ? ok({ entryId }) : err(appError(ErrorCodes.VALIDATION_FAILED, 'no entry'));
  }
}

describe('lazyPort', () => {
  it('loads nothing until the first call, then answers as the adapter does (arguments, this, errors)', async () => {
    const adapter = new FakeSlots('a');
    const load = vi.fn(async () => adapter);
    const port = lazyPort<SlotsPort>(load);
    expect(load).not.toHaveBeenCalled();
    expect(await port.freeSlots('c1', '2026-06-10')).toEqual(ok(['a:c1:2026-06-10']));
    expect(adapter.calls).toEqual([['c1', '2026-06-10']]);
    expect(await port.cancel('')).toEqual(err(appError(ErrorCodes.VALIDATION_FAILED, 'no entry')));
    expect(load).toHaveBeenCalledTimes(1);
  });

  it('loads once for calls that race before the load has finished', async () => {
    let release: (a: SlotsPort) => void = () => undefined;
    const load = vi.fn(() => new Promise<SlotsPort>((r) => (release = r)));
    const port = lazyPort<SlotsPort>(load);
    const answers = Promise.all([port.freeSlots('c1', 'd1'), port.freeSlots('c2', 'd2'), port.cancel('e1')]);
    release(new FakeSlots('b'));
    expect(await answers).toEqual([ok(['b:c1:d1']), ok(['b:c2:d2']), ok({ entryId: 'e1' })]);
    expect(load).toHaveBeenCalledTimes(1);
  });

  it('a failed load answers a coded error, nothing thrown, and the next call loads again', async () => {
    const load = vi
      .fn<() => Promise<SlotsPort>>()
      .mockRejectedValueOnce(new TypeError('Failed to fetch dynamically imported module'))
      .mockResolvedValue(new FakeSlots('c'));
    const port = lazyPort<SlotsPort>(load);
    const first = await port.freeSlots('c1', 'd1');
    expect(first.ok).toBe(false);
    expect(!first.ok && first.error.code).toBe(ErrorCodes.INTERNAL);
    expect(await port.freeSlots('c1', 'd1')).toEqual(ok(['c:c1:d1']));
    expect(load).toHaveBeenCalledTimes(2);
  });

  it('is not a thenable: awaiting the port gives the port, without loading the adapter', async () => {
    const load = vi.fn(async () => new FakeSlots('d'));
    const port = lazyPort<SlotsPort>(load);
    expect(await Promise.resolve(port)).toBe(port);
    expect(load).not.toHaveBeenCalled();
  });
});

// size22 (issue 14): BookingService itself loads on the first booking call (the desk's first render lists the
// queue); its one synchronous method (the booking form's check) is handed over eagerly and never waits.
class FakeBooking {
  loaded = true;
  async freeSlots(clinicId: string): Promise<Result<readonly string[], AppError>> {
    return ok([`slot:${clinicId}`]);
  }
  problem(email: string): 'email_invalid' | null {
    return email.includes('@') ? null : 'email_invalid';
  }
}

describe('lazyService', () => {
  it('answers its synchronous methods at once without loading, and loads on the first async call', async () => {
    const load = vi.fn(async () => new FakeBooking());
    const service = lazyService<Omit<FakeBooking, 'loaded'>>(load, {
      problem: (e) => (e.includes('@') ? null : 'email_invalid'),
    });
    expect(service.problem('nope')).toBe('email_invalid');
    expect(service.problem('a@b.ma')).toBeNull();
    expect(load).not.toHaveBeenCalled();
    expect(await service.freeSlots('c1')).toEqual(ok(['slot:c1']));
    expect(await service.freeSlots('c2')).toEqual(ok(['slot:c2']));
    expect(load).toHaveBeenCalledTimes(1);
  });

  it('a failed load answers a coded error and the next call loads again', async () => {
    const load = vi
      .fn<() => Promise<FakeBooking>>()
      .mockRejectedValueOnce(new TypeError('Failed to fetch dynamically imported module'))
      .mockResolvedValue(new FakeBooking());
    const service = lazyService<Omit<FakeBooking, 'loaded'>>(load, { problem: () => null });
    const first = await service.freeSlots('c1');
    expect(!first.ok && first.error.code).toBe(ErrorCodes.INTERNAL);
    expect(await service.freeSlots('c1')).toEqual(ok(['slot:c1']));
  });
});

describe("lazyService with eager async methods (the clinic repository: the desk's first reads eager, the rest on first use — size22b)", () => {
  it('answers the eager methods without loading the adapter, and loads it once for any other method', async () => {
    const adapter = new FakeSlots('late');
    const load = vi.fn(async () => adapter);
    const port = lazyService<SlotsPort>(load, { freeSlots: async (c, f) => ok([`eager:${c}:${f}`]) });
    expect(await port.freeSlots('c1', '2026-06-10')).toEqual(ok(['eager:c1:2026-06-10']));
    expect(load).not.toHaveBeenCalled();
    expect(adapter.calls).toEqual([]);
    expect(await port.cancel('e1')).toEqual(ok({ entryId: 'e1' }));
    expect(await port.cancel('e2')).toEqual(ok({ entryId: 'e2' }));
    expect(load).toHaveBeenCalledTimes(1);
  });
});
