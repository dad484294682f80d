// PostgREST conformance for table writes: supabase-js insert / upsert / update / delete against the local
// stack on PGlite and PostgreSQL, under the caller's role and claims (RLS and column grants decide).
import type { SupabaseClient } from '@supabase/supabase-js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KINDS, assertNoLeak, call, startTestStack, type TestStack } from './harness';

interface Note {
  id: number;
  owner_id: string;
  clinic_id: number;
  slug: string;
  body: string;
  tags: string[];
  meta: unknown;
  locked: boolean;
  n: number;
}

/** supabase-js's own `.maxAffected(n)`; its type is gated on a Database type declaring PostgREST 13+. */
const maxAffected = <B>(builder: B, rows: number): B =>
  (builder as unknown as { maxAffected(rows: number): B }).maxAffected(rows);

describe.each(KINDS)('REST writes on %s', (kind) => {
  let t: TestStack;
  let alice: SupabaseClient;
  let bob: SupabaseClient;
  let anon: SupabaseClient;
  let svc: SupabaseClient;
  let aliceId = '';
  let bobId = '';
  let aliceToken = '';

  const signUp = async (name: string): Promise<{ id: string; token: string }> => {
    const { data, error } = await t
      .client()
      .auth.signUp({ email: `${name}-${kind}@example.test`, password: 'secret-pass' });
    expect(error).toBeNull();
    return { id: data.user?.id ?? '', token: data.session?.access_token ?? '' };
  };
  /** The row as the service role sees it (bypasses RLS): proof of what is really stored. */
  const stored = async (id: number): Promise<Note | null> => {
    const { data, error } = await svc.from('cf_notes').select('*').eq('id', id).maybeSingle();
    expect(error).toBeNull();
    return data as Note | null;
  };
  const bobNote = async (slug: string): Promise<Note> => {
    const { data, error } = await bob
      .from('cf_notes')
      .insert({ clinic_id: 1, slug, body: 'bob wrote this' })
      .select()
      .single();
    expect(error).toBeNull();
    return data as Note;
  };

  beforeAll(async () => {
    t = await startTestStack(kind);
    const a = await signUp('alice');
    const b = await signUp('bob');
    aliceId = a.id;
    bobId = b.id;
    aliceToken = a.token;
    alice = t.client({ accessToken: a.token });
    bob = t.client({ accessToken: b.token });
    anon = t.client();
    svc = t.client({ accessToken: t.stack.serviceKey });
  });
  afterAll(async () => {
    await t?.stop();
  });

  it('insert: 201 without a body by default; the row is stored with its defaults (owner = auth.uid())', async () => {
    const r = await alice.from('cf_notes').insert({ clinic_id: 1, slug: 'min-1', body: 'hello' });
    expect(r).toMatchObject({ status: 201, data: null, error: null });
    const { data } = await alice
      .from('cf_notes')
      .select('slug,owner_id,body,tags,n,locked')
      .eq('slug', 'min-1');
    expect(data).toEqual([
      { slug: 'min-1', owner_id: aliceId, body: 'hello', tags: [], n: 0, locked: false },
    ]);
  });

  it('insert + select(): the representation, with arrays and jsonb typed like the columns; single() gives an object', async () => {
    const { data, error, status } = await alice
      .from('cf_notes')
      .insert({ clinic_id: 1, slug: 'rep-1', tags: ['a', 'b,c'], meta: { k: [1, 2], s: 'x"y' }, n: 3 })
      .select()
      .single();
    expect(error).toBeNull();
    expect(status).toBe(201);
    const note = data as Note;
    expect(note).toMatchObject({
      owner_id: aliceId,
      clinic_id: 1,
      slug: 'rep-1',
      body: '',
      tags: ['a', 'b,c'],
      meta: { k: [1, 2], s: 'x"y' },
      n: 3,
      locked: false,
    });
    expect(typeof note.id).toBe('number');
    const aliased = await alice
      .from('cf_notes')
      .insert({ clinic_id: 2, slug: 'rep-2' })
      .select('ref:slug, clinic_id');
    expect(aliased.data).toEqual([{ ref: 'rep-2', clinic_id: 2 }]);
  });

  it('bulk insert (array + columns): missing keys are NULL by default, the column DEFAULT with defaultToNull: false', async () => {
    const rows = [
      { clinic_id: 1, slug: 'bulk-1', body: 'one' },
      { clinic_id: 1, slug: 'bulk-2' },
    ];
    const nulls = await alice.from('cf_notes').insert(rows).select('slug');
    expect(nulls.status).toBe(400);
    expect(nulls.error).toMatchObject({ code: '23502' }); // body is NOT NULL: the second row had it NULL
    expect((await alice.from('cf_notes').select('slug').like('slug', 'bulk-*')).data).toEqual([]); // all or nothing
    const defaults = await alice
      .from('cf_notes')
      .insert(rows, { defaultToNull: false })
      .select('slug,body')
      .order('slug');
    expect(defaults.error).toBeNull();
    expect(defaults.status).toBe(201);
    expect(defaults.data).toEqual([
      { slug: 'bulk-1', body: 'one' },
      { slug: 'bulk-2', body: '' },
    ]);
  });

  it('count: exact reports the rows written in Content-Range (*/n on POST and DELETE, 0-(n-1)/n on PATCH)', async () => {
    const ins = await alice.from('cf_notes').insert(
      [
        { clinic_id: 2, slug: 'cnt-1' },
        { clinic_id: 2, slug: 'cnt-2' },
      ],
      { count: 'exact' },
    );
    expect(ins).toMatchObject({ status: 201, count: 2, error: null });
    const upd = await alice
      .from('cf_notes')
      .update({ body: 'counted' }, { count: 'exact' })
      .like('slug', 'cnt-*');
    expect(upd).toMatchObject({ status: 204, count: 2, error: null });
    const raw = await call(t.stack, '/rest/v1/cf_notes?slug=like.cnt-*', {
      method: 'PATCH',
      token: aliceToken,
      headers: { prefer: 'count=exact' },
      body: JSON.stringify({ n: 1 }),
    });
    expect(raw.status).toBe(204);
    expect(raw.headers.get('content-range')).toBe('0-1/2');
    expect(raw.headers.get('preference-applied')).toBe('count=exact');
    const none = await call(t.stack, '/rest/v1/cf_notes?slug=eq.nothing-here', {
      method: 'PATCH',
      token: aliceToken,
      body: JSON.stringify({ n: 1 }),
    });
    expect(none.status).toBe(204);
    expect(none.headers.get('content-range')).toBe('*/*');
    const post = await call(t.stack, '/rest/v1/cf_notes', {
      method: 'POST',
      token: aliceToken,
      body: JSON.stringify({ clinic_id: 2, slug: 'cnt-3' }),
    });
    expect(post.status).toBe(201);
    expect(post.text).toBe('');
    expect(post.headers.get('content-range')).toBe('*/*');
    const delOne = await call(t.stack, '/rest/v1/cf_notes?slug=eq.cnt-3', {
      method: 'DELETE',
      token: aliceToken,
      headers: { prefer: 'count=exact' },
    });
    expect(delOne.status).toBe(204);
    expect(delOne.headers.get('content-range')).toBe('*/1');
    const del = await alice.from('cf_notes').delete({ count: 'exact' }).like('slug', 'cnt-*');
    expect(del).toMatchObject({ status: 204, count: 2, error: null });
  });

  it('return=headers-only: 201 with a Location of the new row', async () => {
    const r = await call(t.stack, '/rest/v1/cf_notes', {
      method: 'POST',
      token: aliceToken,
      headers: { prefer: 'return=headers-only' },
      body: JSON.stringify({ clinic_id: 1, slug: 'loc-1' }),
    });
    expect(r.status).toBe(201);
    expect(r.text).toBe('');
    const loc = r.headers.get('location') ?? '';
    expect(loc).toMatch(/^\/cf_notes\?id=eq\.\d+$/);
    const id = Number(loc.split('eq.')[1]);
    expect((await stored(id))?.slug).toBe('loc-1');
  });

  it('RLS on insert: a row for someone else → 403 42501 (PostgREST body), anon → 401; nothing is stored', async () => {
    const forged = await alice.from('cf_notes').insert({ clinic_id: 1, slug: 'forged', owner_id: bobId });
    expect(forged.status).toBe(403);
    expect(forged.error).toEqual({
      code: '42501',
      details: null,
      hint: null,
      message: 'new row violates row-level security policy for table "cf_notes"',
    });
    const anonIns = await anon.from('cf_notes').insert({ clinic_id: 1, slug: 'anon-note', owner_id: bobId });
    expect(anonIns.status).toBe(401);
    expect(anonIns.error?.code).toBe('42501');
    const { data } = await svc.from('cf_notes').select('id').in('slug', ['forged', 'anon-note']);
    expect(data).toEqual([]);
    for (const e of [forged.error, anonIns.error]) assertNoLeak(JSON.stringify(e));
  });

  it('update(...).eq(id): changes the own row; another user’s row is untouched (0 rows), anon changes nothing', async () => {
    const mine = (
      await alice.from('cf_notes').insert({ clinic_id: 1, slug: 'upd-1', body: 'v1' }).select().single()
    ).data as Note;
    const theirs = await bobNote('upd-bob');
    const r = await alice
      .from('cf_notes')
      .update({ body: 'v2', tags: ['x'] })
      .eq('id', mine.id);
    expect(r).toMatchObject({ status: 204, data: null, error: null });
    expect(await stored(mine.id)).toMatchObject({ body: 'v2', tags: ['x'] });
    const rep = await alice.from('cf_notes').update({ n: 7 }).eq('id', mine.id).select('id,n');
    expect(rep).toMatchObject({ status: 200, data: [{ id: mine.id, n: 7 }], error: null });

    const other = await alice.from('cf_notes').update({ body: 'hijacked' }).eq('id', theirs.id).select();
    expect(other).toMatchObject({ status: 200, data: [], error: null });
    const anonUpd = await anon.from('cf_notes').update({ body: 'anon was here' }).eq('id', theirs.id);
    expect(anonUpd.status).toBe(401); // anon has no UPDATE grant at all
    expect(anonUpd.error?.code).toBe('42501');
    expect(await stored(theirs.id)).toMatchObject({ body: 'bob wrote this', owner_id: bobId });
  });

  it('update: column grants decide (owner/lock are not updatable → 403), WITH CHECK violations → 403, locked rows are not matched', async () => {
    const mine = (await alice.from('cf_notes').insert({ clinic_id: 1, slug: 'grant-1' }).select().single())
      .data as Note;
    const owner = await alice.from('cf_notes').update({ owner_id: bobId }).eq('id', mine.id);
    expect(owner.status).toBe(403);
    expect(owner.error?.code).toBe('42501');
    const lock = await alice.from('cf_notes').update({ locked: true, body: 'x' }).eq('id', mine.id);
    expect(lock.status).toBe(403);
    const check = await alice.from('cf_notes').update({ n: 5000 }).eq('id', mine.id);
    expect(check.status).toBe(403);
    expect(check.error?.code).toBe('42501');
    expect(await stored(mine.id)).toMatchObject({ owner_id: aliceId, locked: false, n: 0, body: '' });
    await svc.from('cf_notes').update({ locked: true }).eq('id', mine.id);
    const locked = await alice.from('cf_notes').update({ body: 'after lock' }).eq('id', mine.id).select('id');
    expect(locked.data).toEqual([]);
    expect((await stored(mine.id))?.body).toBe('');
    for (const e of [owner.error, lock.error, check.error]) assertNoLeak(JSON.stringify(e));
  });

  it('update with .single() that matches several rows → 406 PGRST116 and nothing is changed', async () => {
    await alice.from('cf_notes').insert([
      { clinic_id: 2, slug: 'many-1' },
      { clinic_id: 2, slug: 'many-2' },
    ]);
    const r = await alice.from('cf_notes').update({ body: 'both' }).like('slug', 'many-*').select().single();
    expect(r.status).toBe(406);
    expect(r.error?.code).toBe('PGRST116');
    const { data } = await alice.from('cf_notes').select('body').like('slug', 'many-*');
    expect(data).toEqual([{ body: '' }, { body: '' }]);
  });

  it('delete: the own row (204, or 200 with select); another user’s row and anon delete nothing', async () => {
    const a1 = (await alice.from('cf_notes').insert({ clinic_id: 1, slug: 'del-1' }).select().single())
      .data as Note;
    const a2 = (await alice.from('cf_notes').insert({ clinic_id: 1, slug: 'del-2' }).select().single())
      .data as Note;
    const theirs = await bobNote('del-bob');
    expect(await alice.from('cf_notes').delete().eq('id', a1.id)).toMatchObject({
      status: 204,
      data: null,
      error: null,
    });
    expect(await stored(a1.id)).toBeNull();
    const rep = await alice.from('cf_notes').delete().eq('id', a2.id).select('slug');
    expect(rep).toMatchObject({ status: 200, data: [{ slug: 'del-2' }], error: null });
    const other = await alice.from('cf_notes').delete().eq('id', theirs.id).select('id');
    expect(other).toMatchObject({ status: 200, data: [] });
    const anonDel = await anon.from('cf_notes').delete().in('id', [theirs.id]);
    expect(anonDel.status).toBe(204);
    expect((await stored(theirs.id))?.slug).toBe('del-bob');
  });

  it('maxAffected (handling=strict, max-affected=N): a wider PATCH/DELETE → 400 PGRST124 and is rolled back', async () => {
    await alice.from('cf_notes').insert([
      { clinic_id: 2, slug: 'max-1' },
      { clinic_id: 2, slug: 'max-2' },
    ]);
    const upd = await maxAffected(
      alice.from('cf_notes').update({ body: 'too many' }).like('slug', 'max-*'),
      1,
    );
    expect(upd.status).toBe(400);
    expect(upd.error).toEqual({
      code: 'PGRST124',
      details: 'The query affects 2 rows',
      hint: null,
      message: 'Query result exceeds max-affected preference constraint',
    });
    const del = await maxAffected(alice.from('cf_notes').delete().like('slug', 'max-*'), 1);
    expect(del.status).toBe(400);
    expect((await alice.from('cf_notes').select('body').like('slug', 'max-*')).data).toEqual([
      { body: '' },
      { body: '' },
    ]);
    const ok = await call(t.stack, '/rest/v1/cf_notes?slug=like.max-*', {
      method: 'DELETE',
      token: aliceToken,
      headers: { prefer: 'handling=strict, max-affected=2' },
    });
    expect(ok.status).toBe(204);
    expect(ok.headers.get('preference-applied')).toBe('handling=strict, max-affected=2');
    expect((await alice.from('cf_notes').select('id').like('slug', 'max-*')).data).toEqual([]);
  });

  it('columns= takes only the listed keys; an empty array inserts nothing; PATCH with {} changes nothing', async () => {
    const r = await call(t.stack, '/rest/v1/cf_notes?columns=clinic_id,slug&select=slug,body', {
      method: 'POST',
      token: aliceToken,
      headers: { prefer: 'return=representation' },
      body: JSON.stringify([{ clinic_id: 1, slug: 'cols-1', body: 'ignored', whatever: 1 }]),
    });
    expect(r.status).toBe(201);
    expect(r.json).toEqual([{ slug: 'cols-1', body: '' }]);
    expect(await alice.from('cf_notes').insert([]).select()).toMatchObject({
      status: 201,
      data: [],
      error: null,
    });
    const noop = await alice.from('cf_notes').update({}).eq('slug', 'cols-1').select('slug,body');
    expect(noop).toMatchObject({ status: 200, data: [], error: null });
    expect((await alice.from('cf_notes').select('body').eq('slug', 'cols-1')).data).toEqual([{ body: '' }]);
    await alice.from('cf_notes').update({ body: 'set', n: 1 }).eq('slug', 'cols-1');
    const reset = await call(t.stack, '/rest/v1/cf_notes?slug=eq.cols-1&columns=body,n&select=body,n', {
      method: 'PATCH',
      token: aliceToken,
      headers: { prefer: 'return=representation, missing=default' },
      body: JSON.stringify({ n: 2 }),
    });
    expect(reset.status).toBe(200);
    expect(reset.json).toEqual([{ body: '', n: 2 }]); // body was listed but absent: its DEFAULT
    expect(reset.headers.get('preference-applied')).toBe('missing=default, return=representation');
    const bare = await alice.from('cf_notes').insert({});
    expect(bare.status).toBe(400);
    expect(bare.error?.code).toBe('23502'); // all defaults: clinic_id has none
    assertNoLeak(JSON.stringify(bare.error));
  });

  it('update/delete without any filter are refused (21000, as Supabase’s safeupdate), never a table wipe', async () => {
    const before = (await svc.from('cf_notes').select('id')).data?.length ?? 0;
    const upd = await svc.from('cf_notes').update({ body: 'all' });
    expect(upd.status).toBe(400);
    expect(upd.error).toMatchObject({ code: '21000', message: 'UPDATE requires a WHERE clause' });
    const del = await svc.from('cf_notes').delete();
    expect(del.status).toBe(400);
    expect(del.error).toMatchObject({ code: '21000', message: 'DELETE requires a WHERE clause' });
    expect((await svc.from('cf_notes').select('id')).data?.length).toBe(before);
  });

  it('upsert: merge on the primary key or on_conflict columns, ignoreDuplicates keeps the stored row', async () => {
    const first = await alice
      .from('cf_settings')
      .upsert({ key: 'theme', value: 'v1' })
      .select('id,owner_id,key,value')
      .single();
    expect(first.error).toBeNull();
    const row = first.data as { id: number; owner_id: string; value: string };
    expect(row).toMatchObject({ owner_id: aliceId, key: 'theme', value: 'v1' });
    const merged = await alice
      .from('cf_settings')
      .upsert({ id: row.id, key: 'theme', value: 'v2' })
      .select('id,value');
    // a merge that only updated answers 200, one that inserted 201 (PostgREST ≥ 12)
    expect(first.status).toBe(201);
    expect(merged).toMatchObject({ status: 200, data: [{ id: row.id, value: 'v2' }], error: null });
    const byKey = await alice
      .from('cf_settings')
      .upsert({ key: 'theme', value: 'v3' }, { onConflict: 'owner_id,key' })
      .select('id,value');
    expect(byKey).toMatchObject({ status: 200, data: [{ id: row.id, value: 'v3' }] });
    const ignored = await alice
      .from('cf_settings')
      .upsert(
        [
          { key: 'theme', value: 'v4' },
          { key: 'lang', value: 'ar' },
        ],
        { onConflict: 'owner_id,key', ignoreDuplicates: true },
      )
      .select('key,value');
    expect(ignored.data).toEqual([{ key: 'lang', value: 'ar' }]);
    const raw = await call(t.stack, '/rest/v1/cf_settings?on_conflict=owner_id,key&select=value', {
      method: 'POST',
      token: aliceToken,
      headers: { prefer: 'resolution=merge-duplicates,return=representation' },
      body: JSON.stringify({ key: 'theme', value: 'v5' }),
    });
    expect(raw.status).toBe(200);
    expect(raw.json).toEqual([{ value: 'v5' }]);
    expect(raw.headers.get('preference-applied')).toBe('resolution=merge-duplicates, return=representation');
    const mixed = await alice.from('cf_settings').upsert(
      [
        { key: 'theme', value: 'v6' },
        { key: 'tz', value: 'Africa/Casablanca' },
      ],
      { onConflict: 'owner_id,key' },
    );
    expect(mixed).toMatchObject({ status: 201, error: null });
    const { data } = await alice.from('cf_settings').select('key,value').order('key');
    expect(data).toEqual([
      { key: 'lang', value: 'ar' },
      { key: 'theme', value: 'v6' },
      { key: 'tz', value: 'Africa/Casablanca' },
    ]);
  });

  it('upsert onto another user’s row is refused by RLS (403) and leaves it untouched; column grants apply to the merge', async () => {
    const theirs = (
      await bob.from('cf_settings').insert({ key: 'theme', value: 'bob' }).select('id').single()
    ).data as { id: number };
    const r = await alice.from('cf_settings').upsert({ id: theirs.id, key: 'theme', value: 'mine now' });
    expect(r.status).toBe(403);
    expect(r.error?.code).toBe('42501');
    const ignored = await alice
      .from('cf_settings')
      .upsert({ id: theirs.id, key: 'x', value: 'mine now' }, { ignoreDuplicates: true })
      .select();
    expect(ignored).toMatchObject({ status: 201, data: [] });
    const { data } = await svc.from('cf_settings').select('owner_id,key,value').eq('id', theirs.id);
    expect(data).toEqual([{ owner_id: bobId, key: 'theme', value: 'bob' }]);
    // merge-duplicates updates every payload column: clinic_id is not updatable by users on cf_notes
    const note = await alice.from('cf_notes').upsert({ clinic_id: 1, slug: 'up-note' });
    expect(note.status).toBe(403);
    expect(note.error?.code).toBe('42501');
    expect(
      await alice.from('cf_notes').upsert({ clinic_id: 1, slug: 'up-note' }, { ignoreDuplicates: true }),
    ).toMatchObject({ status: 201, error: null });
  });

  it('constraint errors map like PostgREST: unique 409 23505, foreign key 409 23503, check 400 23514', async () => {
    await alice.from('cf_notes').insert({ clinic_id: 1, slug: 'uniq' });
    const dup = await alice.from('cf_notes').insert({ clinic_id: 1, slug: 'uniq' });
    expect(dup.status).toBe(409);
    expect(dup.error?.code).toBe('23505');
    const fk = await alice.from('cf_notes').insert({ clinic_id: 99, slug: 'fk' });
    expect(fk.status).toBe(409);
    expect(fk.error?.code).toBe('23503');
    const chk = await alice.from('cf_notes').insert({ clinic_id: 1, slug: 'chk', n: -1 });
    expect(chk.status).toBe(400);
    expect(chk.error?.code).toBe('23514');
    const badType = await alice.from('cf_notes').insert({ clinic_id: 'one', slug: 'bad' });
    expect(badType.status).toBe(400);
    expect(badType.error?.code).toBe('22P02');
    for (const e of [dup.error, fk.error, chk.error, badType.error]) assertNoLeak(JSON.stringify(e));
  });

  it('unknown columns → 400 PGRST204 (body, columns, on_conflict); unknown table → 404 PGRST205; bad JSON → 400 PGRST102', async () => {
    const ins = await alice.from('cf_notes').insert({ clinic_id: 1, slug: 'x', nope: 1 });
    expect(ins.status).toBe(400);
    expect(ins.error).toMatchObject({
      code: 'PGRST204',
      message: "Could not find the 'nope' column of 'cf_notes' in the schema cache",
    });
    const bulk = await alice.from('cf_notes').insert([
      { clinic_id: 1, slug: 'y' },
      { clinic_id: 1, slug: 'z', nope: 2 },
    ]);
    expect(bulk.error?.code).toBe('PGRST204');
    const upd = await alice.from('cf_notes').update({ nope: 1 }).eq('id', 1);
    expect(upd.status).toBe(400);
    expect(upd.error?.code).toBe('PGRST204');
    const conflict = await alice.from('cf_notes').upsert({ clinic_id: 1, slug: 'q' }, { onConflict: 'nope' });
    expect(conflict.error?.code).toBe('PGRST204');
    const filter = await alice.from('cf_notes').delete().eq('nope', 1);
    expect(filter.status).toBe(400);
    const table = await alice.from('cf_nothing').insert({ a: 1 });
    expect(table.status).toBe(404);
    expect(table.error?.code).toBe('PGRST205');
    const keys = await call(t.stack, '/rest/v1/cf_notes', {
      method: 'POST',
      token: aliceToken,
      body: JSON.stringify([{ clinic_id: 1, slug: 'k1' }, { slug: 'k2' }]),
    });
    expect(keys.status).toBe(400);
    expect(keys.json).toMatchObject({ code: 'PGRST102' });
    const bad = await call(t.stack, '/rest/v1/cf_notes', {
      method: 'POST',
      token: aliceToken,
      body: '[{"clinic_id": 1,',
    });
    expect(bad.status).toBe(400);
    expect(bad.json).toMatchObject({ code: 'PGRST102' });
    const scalar = await call(t.stack, '/rest/v1/cf_notes?id=eq.1', {
      method: 'PATCH',
      token: aliceToken,
      body: '42',
    });
    expect(scalar.status).toBe(400);
    const injection = await call(
      t.stack,
      '/rest/v1/cf_notes?columns=slug,"clinic_id) values (1,\'x\'); --"',
      {
        method: 'POST',
        token: aliceToken,
        body: JSON.stringify({ clinic_id: 1, slug: 'inj' }),
      },
    );
    expect(injection.status).toBe(400);
    expect(injection.json).toMatchObject({ code: 'PGRST204' });
    for (const r of [keys, bad, scalar, injection]) assertNoLeak(r.text);
    for (const e of [ins.error, upd.error, conflict.error, filter.error, table.error])
      assertNoLeak(JSON.stringify(e));
  });

  it('return=minimal needs no SELECT right (write-only table); asking for the representation is refused', async () => {
    const drop = t.client({ accessToken: aliceToken });
    expect(await drop.from('cf_dropbox').insert({ msg: 'hello' })).toMatchObject({
      status: 201,
      error: null,
    });
    const rep = await drop.from('cf_dropbox').insert({ msg: 'again' }).select();
    expect(rep.status).toBe(403);
    expect(rep.error?.code).toBe('42501');
    const { data } = await svc.from('cf_dropbox').select('msg');
    expect(data).toEqual([{ msg: 'hello' }]);
  });

  it('Prefer: tx=rollback discards the write; PUT and GET never write; an unexposed Content-Profile → 406', async () => {
    const r = await call(t.stack, '/rest/v1/cf_notes?select=slug', {
      method: 'POST',
      token: aliceToken,
      headers: { prefer: 'return=representation,tx=rollback' },
      body: JSON.stringify({ clinic_id: 1, slug: 'rolled-back' }),
    });
    expect(r.status).toBe(201);
    expect(r.json).toEqual([{ slug: 'rolled-back' }]);
    expect((await alice.from('cf_notes').select('id').eq('slug', 'rolled-back')).data).toEqual([]);
    const put = await call(t.stack, '/rest/v1/cf_notes?id=eq.1', {
      method: 'PUT',
      token: aliceToken,
      body: JSON.stringify({ id: 1, clinic_id: 1, slug: 'put' }),
    });
    expect(put.status).toBe(405);
    assertNoLeak(put.text);
    const get = await call(t.stack, '/rest/v1/cf_notes?select=id&slug=eq.put', { token: aliceToken });
    expect(get.json).toEqual([]);
    const profile = await call(t.stack, '/rest/v1/cf_notes', {
      method: 'POST',
      token: aliceToken,
      headers: { 'content-profile': 'auth' },
      body: JSON.stringify({ clinic_id: 1, slug: 'p' }),
    });
    expect(profile.status).toBe(406);
    expect(profile.json).toMatchObject({ code: 'PGRST106' });
  });
});
