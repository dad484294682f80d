// Attack review of session 18, finding 1, over HTTP on the local stack with the real send-staff-invitation function and
// a fake Resend-compatible mail API: the owner of a self-made clinic still held for SMS cannot save their own
// invitation text (403 TEMPLATE.CLINIC_HELD), the invitation email carries the built-in text, is recorded in the
// message log before it is mailed (kind staff_invitation, channel email, the invitation's own address) and is mailed
// once per invitation; an approved clinic's own text goes out as before. On PGlite and PostgreSQL.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { approveClinicSms } from '../fixtures/approveClinicSms';
import { startAppStack, type AppStack, type Kind } from './appStack';

const ROOT = new URL('../../', import.meta.url).pathname;
const EVIL = 'URGENT: votre compte est bloqué https://evil.example/login {tracking_url}';

describe.each(['pglite', 'postgres'] as Kind[])('invitation emails on %s', (kind) => {
  let app: AppStack;
  let mail: Server;
  const mailed: { to: string[]; subject: string; text: string }[] = [];
  const saved: Record<string, string | undefined> = {};

  beforeAll(async () => {
    mail = createServer((req, res) => {
      let body = '';
      req.on('data', (c: Buffer) => (body += c.toString()));
      req.on('end', () => {
        mailed.push(JSON.parse(body) as (typeof mailed)[number]);
        res
          .writeHead(200, { 'content-type': 'application/json' })
          .end(JSON.stringify({ id: `em_${mailed.length}` }));
      });
    });
    await new Promise<void>((r) => mail.listen(0, '127.0.0.1', r));
    // the functions' Deno processes inherit the environment (as test/security/kit.ts does for Twilio)
    const env = {
      RESEND_API_KEY: 're_test',
      EMAIL_FROM: 'QueueMed <no-reply@queuemed.test>',
      RESEND_API_BASE: `http://127.0.0.1:${(mail.address() as AddressInfo).port}`,
    };
    for (const [k, v] of Object.entries(env)) {
      saved[k] = process.env[k];
      process.env[k] = v;
    }
    app = await startAppStack(kind, {
      functionsDir: `${ROOT}supabase/functions`,
      configToml: `${ROOT}supabase/config.toml`,
    });
  }, 400_000);
  afterAll(async () => {
    await app?.stop();
    await new Promise((r) => mail?.close(r));
    for (const [k, v] of Object.entries(saved)) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
  });

  it('a held clinic mails the built-in text, logged once per invitation; an approved one its own', async () => {
    const owner = await app.signUp('heldowner');
    const made = await owner.client.rpc('create_clinic', {
      p_name: 'Cabinet Tenu',
      p_slug: `tenu-${kind}-${process.pid}`,
    });
    expect(made.error).toBeNull();
    const clinicId = (made.data as { clinic_id: string }).clinic_id;
    const save = await owner.client.rpc('save_notification_template', {
      p_clinic_id: clinicId,
      p_kind: 'staff_invitation',
      p_language: 'fr',
      p_body: EVIL,
    });
    expect(save.error?.message).toBe('TEMPLATE.CLINIC_HELD');

    const invite = async (email: string) => {
      const { data, error } = await owner.client.rpc('create_staff_invitation', {
        p_clinic_id: clinicId,
        p_role: 'receptionist',
        p_display_name: 'Victim',
        p_email: email,
      });
      expect(error).toBeNull();
      return data as { invitation_id: string; token: string };
    };
    const send = (inv: { invitation_id: string; token: string }) =>
      owner.client.functions.invoke('send-staff-invitation', {
        body: { invitation_id: inv.invitation_id, token: inv.token, channel: 'email', language: 'fr' },
      });
    const inv = await invite('victim1@example.test');
    const first = await send(inv);
    expect(first.error).toBeNull();
    expect(first.data).toMatchObject({ channel: 'email', status: 'sent' });
    expect(mailed).toHaveLength(1);
    expect(mailed[0]!.to).toEqual(['victim1@example.test']);
    expect(mailed[0]!.text).toBe(
      `Vous êtes invité(e) à rejoindre Cabinet Tenu sur QueueMed : ${app.stack.url}/invite/${inv.token}`,
    );
    const { rows } = await app.db.query<{ kind: string; channel: string; recipient: string; status: string }>(
      `select kind, channel, recipient, status from public.notifications where clinic_id = $1`,
      [clinicId],
    );
    expect(rows).toEqual([
      { kind: 'staff_invitation', channel: 'email', recipient: 'victim1@example.test', status: 'sent' },
    ]);
    // the same invitation again: nothing more is mailed
    const again = await send(inv);
    expect(again.data).toMatchObject({ status: 'sent' });
    expect(mailed).toHaveLength(1);

    // approved: the owner's own text goes out
    await approveClinicSms(app.stack, clinicId);
    const mine = 'Rejoignez {clinic_name} : {tracking_url}';
    const ok = await owner.client.rpc('save_notification_template', {
      p_clinic_id: clinicId,
      p_kind: 'staff_invitation',
      p_language: 'fr',
      p_body: mine,
    });
    expect(ok.error).toBeNull();
    const inv2 = await invite('colleague@example.test');
    await send(inv2);
    expect(mailed).toHaveLength(2);
    expect(mailed[1]!.text).toBe(`Rejoignez Cabinet Tenu : ${app.stack.url}/invite/${inv2.token}`);
  });
});
