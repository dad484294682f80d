// @vitest-environment jsdom
// The webhooks part of the API tab on the in-memory services: an endpoint is added with the chosen event
// kinds and its signing secret is shown once; a private address is refused with the translated coded
// error and nothing is added; an endpoint is switched off/on and deleted after a confirmation; the delivery
// log shows each delivery's outcome, an endpoint disabled after failures says so, and "Resend" re-arms one.
import { cleanup, fireEvent, screen, within } from '@testing-library/react';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { installDialogShim } from '../../../test/fixtures/dialogShim';
import { createInMemoryServices } from '../../services/composition/inMemory';
import { renderWithServices } from '../../../test/fixtures/renderWithServices';
import { ManualClock } from '../../services/shared/Clock';
import { WebhooksSection } from './WebhooksSection';

afterEach(() => cleanup());
beforeAll(installDialogShim);

async function setup() {
  const made = createInMemoryServices({ actorId: 'owner', clock: new ManualClock('2026-11-24T08:00:00Z') });
  await renderWithServices(<WebhooksSection clinicId="clinic-1" canEdit />, made.services, { page: 'admin' });
  await screen.findByText('No webhook endpoints yet.');
  return made;
}

const add = (url: string) => {
  fireEvent.change(screen.getByLabelText('Endpoint URL (https://…)'), { target: { value: url } });
  fireEvent.click(screen.getByRole('button', { name: 'Add endpoint' }));
};

describe('WebhooksSection', () => {
  it('a double click on "Add endpoint" adds one endpoint (issue 12: the button is disabled a macrotask late)', async () => {
    const made = await setup();
    fireEvent.change(screen.getByLabelText('Endpoint URL (https://…)'), {
      target: { value: 'https://hooks.example.com/once' },
    });
    const button = screen.getByRole('button', { name: 'Add endpoint' });
    fireEvent.click(button);
    fireEvent.click(button);
    await screen.findByTestId('webhook-secret');
    const listed = await (await made.services.webhooks()).listEndpoints('clinic-1');
    expect(listed.ok && listed.value.map((w) => w.url)).toEqual(['https://hooks.example.com/once']);
  }, 20_000);

  it('adds an endpoint with the chosen events, shows the secret once, switches it off and on, deletes it after a confirmation', async () => {
    const made = await setup();
    fireEvent.click(screen.getByLabelText('visit.cancelled')); // off (on by default)
    fireEvent.click(screen.getByLabelText('patient.called'));
    fireEvent.change(screen.getByLabelText('Description (optional)'), {
      target: { value: 'Phone assistant' },
    });
    add('https://hooks.example.com/queuemed');
    const secret = await screen.findByTestId('webhook-secret');
    expect(secret.textContent).toMatch(/^whsec_[0-9a-f]{64}$/);
    const shown = secret.textContent!;
    fireEvent.click(
      within(screen.getByRole('dialog', { name: 'Signing secret' })).getByRole('button', {
        name: 'I have copied it',
      }),
    );
    expect(screen.queryByTestId('webhook-secret')).toBeNull();
    expect(document.body.textContent).not.toContain(shown);
    const item = (await screen.findByText('https://hooks.example.com/queuemed')).closest('li')!;
    expect(within(item).getByText('visit.booked')).toBeTruthy();
    expect(within(item).getByText('patient.called')).toBeTruthy();
    expect(within(item).queryByText('visit.cancelled')).toBeNull();
    expect(within(item).getByText('Active')).toBeTruthy();
    const svc = await made.services.webhooks();
    const listed = await svc.listEndpoints('clinic-1');
    expect(listed.ok && listed.value.map((w) => [w.url, w.eventTypes, w.description])).toEqual([
      ['https://hooks.example.com/queuemed', ['visit.booked', 'patient.called'], 'Phone assistant'],
    ]);

    fireEvent.click(within(item).getByRole('button', { name: 'Turn off' }));
    await within(item).findByText('Off');
    fireEvent.click(within(item).getByRole('button', { name: 'Turn on' }));
    await within(item).findByText('Active');

    fireEvent.click(within(item).getByRole('button', { name: 'Delete' }));
    const confirm = screen.getByRole('dialog', {
      name: 'Delete the endpoint https://hooks.example.com/queuemed?',
    });
    fireEvent.click(within(confirm).getByRole('button', { name: 'Cancel' }));
    expect(((await svc.listEndpoints('clinic-1')) as { value: readonly unknown[] }).value).toHaveLength(1);
    fireEvent.click(within(item).getByRole('button', { name: 'Delete' }));
    const again = screen.getByRole('dialog', {
      name: 'Delete the endpoint https://hooks.example.com/queuemed?',
    });
    fireEvent.click(within(again).getByRole('button', { name: 'Delete' }));
    await screen.findByText('No webhook endpoints yet.');
  }, 20_000); // several renders on a shared 2-core machine; no timed assertion

  it('a private address is refused with its coded message and nothing is added; no event kind, no submit', async () => {
    const made = await setup();
    add('https://192.168.1.10/hook');
    await screen.findByText('Use a public https:// address, not a local one.');
    const svc = await made.services.webhooks();
    expect(((await svc.listEndpoints('clinic-1')) as { value: readonly unknown[] }).value).toEqual([]);
    expect(screen.queryByTestId('webhook-secret')).toBeNull();
    fireEvent.click(screen.getByLabelText('visit.booked'));
    fireEvent.click(screen.getByLabelText('visit.cancelled'));
    expect((screen.getByRole('button', { name: 'Add endpoint' }) as HTMLButtonElement).disabled).toBe(true);
  }, 20_000);

  it('the delivery log shows outcomes; a failing endpoint says it was disabled; Resend re-arms a failed delivery', async () => {
    const made = await setup();
    add('https://hooks.example.com/a');
    await screen.findByTestId('webhook-secret');
    const svc = await made.services.webhooks();
    const [w] = ((await svc.listEndpoints('clinic-1')) as { value: readonly { id: string }[] }).value;
    const base = {
      endpointId: w!.id,
      eventType: 'patient.called' as const,
      nextAttemptAt: '2026-11-24T08:00:00.000Z',
      createdAt: '2026-11-24T08:00:00.000Z',
    };
    made.webhookRepo.addDelivery('clinic-1', {
      ...base,
      id: 'd-1',
      status: 'delivered',
      attempts: 1,
      lastStatusCode: 204,
      lastError: null,
      deliveredAt: '2026-11-24T08:00:01.000Z',
    });
    made.webhookRepo.addDelivery('clinic-1', {
      ...base,
      id: 'd-2',
      status: 'failed',
      attempts: 8,
      lastStatusCode: 503,
      lastError: 'HTTP 503',
      deliveredAt: null,
    });
    made.webhookRepo.markFailing(w!.id, 20);
    // re-render with the new state: the dialog is closed and the lists refetched
    fireEvent.click(
      within(screen.getByRole('dialog', { name: 'Signing secret' })).getByRole('button', {
        name: 'I have copied it',
      }),
    );
    cleanup();
    await renderWithServices(<WebhooksSection clinicId="clinic-1" canEdit />, made.services, {
      page: 'admin',
    });
    const log = await screen.findByRole('list', { name: 'Delivery log' });
    const rows = within(log).getAllByRole('listitem');
    expect(rows.map((r) => within(r).getByText(/^(Delivered|Failed|Pending)$/).textContent)).toEqual([
      'Failed',
      'Delivered',
    ]);
    expect(rows[0]!.textContent).toContain('8 attempts · HTTP 503 · HTTP 503');
    expect(rows[1]!.textContent).toContain('1 attempt · HTTP 204');
    await screen.findByText('Disabled after 20 failed deliveries in a row');
    fireEvent.click(within(rows[0]!).getByRole('button', { name: 'Resend' }));
    await within(log).findByText('Pending');
    const after = await svc.listDeliveries('clinic-1');
    expect(after.ok && after.value.find((d) => d.id === 'd-2')).toMatchObject({
      status: 'pending',
      attempts: 0,
    });
  }, 20_000);
});
