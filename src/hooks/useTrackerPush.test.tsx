// @vitest-environment jsdom
// Web push on the tracker (issue 20): nothing is asked or loaded until the patient presses the button; the
// browser's subscription goes to the server by the visit's link; a refusal (permission, server) is a state, not a
// crash; revoking removes this browser's subscription of this visit.
import { act, cleanup, renderHook } from '@testing-library/react';
import type { ReactNode } from 'react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { appError, ErrorCodes } from '../services/shared/AppError';
import { err, ok } from '../services/shared/Result';
import type { PublicScreensRepository } from '../services/queue/repositories/PublicScreensRepository';
import { BackendConfigProvider } from './BackendConfig';
import { PublicScreensProvider } from './PublicScreensContext';
import { useTrackerPush } from './useTrackerPush';

const browser = vi.hoisted(() => ({ subscribeThisBrowser: vi.fn() }));
vi.mock('../services/notification/channels/browserPush', () => browser);

const KEY = `B${'k'.repeat(86)}`;
const SUB = {
  endpoint: 'https://push.example.com/send/abc',
  p256dh: `B${'p'.repeat(86)}`,
  auth: 'a'.repeat(22),
};

afterEach(cleanup);
beforeEach(() => {
  window.localStorage.clear();
  browser.subscribeThisBrowser.mockReset();
});

function setup(server: Partial<PublicScreensRepository> = {}) {
  const port = {
    subscribePush: vi.fn(async () => ok(undefined)),
    unsubscribePush: vi.fn(async () => ok(undefined)),
    ...server,
  } as unknown as PublicScreensRepository;
  const wrapper = ({ children }: { children: ReactNode }) => (
    <BackendConfigProvider config={{ supabaseUrl: 'http://x', supabaseAnonKey: 'k', vapidPublicKey: KEY }}>
      <PublicScreensProvider load={async () => port}>{children}</PublicScreensProvider>
    </BackendConfigProvider>
  );
  const hook = renderHook(() => useTrackerPush('link-token'), { wrapper });
  return { hook, port };
}

describe('useTrackerPush', () => {
  it('push opt-in asks nothing on load: no browser push code, no server call', () => {
    const { hook, port } = setup();
    expect(hook.result.current.state).toBe('off');
    expect(browser.subscribeThisBrowser).not.toHaveBeenCalled();
    expect(port.subscribePush).not.toHaveBeenCalled();
  });

  it('push opt-in on press: subscribes with the server key and stores it by the link; on after a reload', async () => {
    browser.subscribeThisBrowser.mockResolvedValue({ ok: true, subscription: SUB });
    const { hook, port } = setup();
    let answer: unknown;
    await act(async () => {
      answer = await hook.result.current.enable();
    });
    expect(answer).toBeNull();
    expect(browser.subscribeThisBrowser).toHaveBeenCalledWith(KEY);
    expect(port.subscribePush).toHaveBeenCalledWith('link-token', SUB);
    expect(hook.result.current.state).toBe('on');
    // the same device opens the tracker again: shown as on, still without touching the push APIs
    const again = setup();
    expect(again.hook.result.current.state).toBe('on');
  });

  it('push opt-in refused by the browser: denied, nothing sent to the server', async () => {
    browser.subscribeThisBrowser.mockResolvedValue({ ok: false, reason: 'denied' });
    const { hook, port } = setup();
    await act(async () => {
      await hook.result.current.enable();
    });
    expect(hook.result.current.state).toBe('denied');
    expect(port.subscribePush).not.toHaveBeenCalled();
  });

  it('push opt-in refused by the server (visit over): failed, the coded error to show, nothing remembered', async () => {
    browser.subscribeThisBrowser.mockResolvedValue({ ok: true, subscription: SUB });
    const refusal = appError(ErrorCodes.VALIDATION_FAILED, 'this visit is over');
    const { hook } = setup({ subscribePush: vi.fn(async () => err(refusal)) });
    let answer: unknown;
    await act(async () => {
      answer = await hook.result.current.enable();
    });
    expect(answer).toEqual(refusal);
    expect(hook.result.current.state).toBe('failed');
    expect(setup().hook.result.current.state).toBe('off');
  });

  it('push revoke: removes this browser’s subscription of the visit', async () => {
    browser.subscribeThisBrowser.mockResolvedValue({ ok: true, subscription: SUB });
    const { hook, port } = setup();
    await act(async () => {
      await hook.result.current.enable();
    });
    await act(async () => {
      await hook.result.current.disable();
    });
    expect(port.unsubscribePush).toHaveBeenCalledWith('link-token', SUB.endpoint);
    expect(hook.result.current.state).toBe('off');
    expect(setup().hook.result.current.state).toBe('off');
  });
});
