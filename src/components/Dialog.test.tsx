// @vitest-environment jsdom
// Dialog (issue 12): a confirm whose command is in flight sends nothing more — react-query publishes
// isPending (→ `busy`) a macrotask late, so a double click or a held Enter reached onConfirm twice
// (two cancels from My visits, two moves from Reschedule). The guard is synchronous, on the confirm's own
// promise.
import { cleanup, fireEvent, render, screen } from '@testing-library/react';
import type { i18n as I18n } from 'i18next';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { installDialogShim } from '../../test/fixtures/dialogShim';
import { I18nTestRoot } from '../../test/fixtures/I18nTestRoot';
import { createAppI18n } from '../i18n/lazy';
import { Dialog } from './Dialog';

afterEach(() => cleanup());
let i18n: I18n;
beforeAll(async () => {
  i18n = await createAppI18n('en');
  installDialogShim();
});

const confirmDialog = (onConfirm: () => unknown, busy = false) =>
  render(
    <I18nTestRoot i18n={i18n}>
      <Dialog
        open
        title="Cancel this visit?"
        confirmLabel="Cancel visit"
        onConfirm={onConfirm}
        busy={busy}
        onClose={() => {}}
      />
    </I18nTestRoot>,
  );

describe('Dialog confirm', () => {
  it('a double confirm while the command is in flight sends one command; the next confirm after it settles goes', async () => {
    let calls = 0;
    let settle: () => void = () => {};
    confirmDialog(() => {
      calls += 1;
      return new Promise<void>((resolve) => {
        settle = resolve;
      });
    });
    const button = screen.getByRole('button', { name: 'Cancel visit' });
    fireEvent.click(button);
    fireEvent.click(button); // a double click: `busy` has not been published yet
    fireEvent.submit(button.closest('form') as HTMLFormElement); // a held Enter
    expect(calls).toBe(1);
    settle();
    await Promise.resolve();
    await Promise.resolve();
    fireEvent.click(button);
    expect(calls).toBe(2);
  });

  it('a failed command releases the confirm too', async () => {
    let calls = 0;
    confirmDialog(() => {
      calls += 1;
      return Promise.reject(new Error('refused')).catch(() => undefined);
    });
    const button = screen.getByRole('button', { name: 'Cancel visit' });
    fireEvent.click(button);
    await new Promise((r) => setTimeout(r, 0));
    fireEvent.click(button);
    expect(calls).toBe(2);
  });

  it('a busy dialog sends nothing (Enter in a field while a command runs)', () => {
    let calls = 0;
    confirmDialog(() => {
      calls += 1;
    }, true);
    fireEvent.submit(screen.getByRole('button', { name: 'Cancel visit' }).closest('form') as HTMLFormElement);
    expect(calls).toBe(0);
  });
});
