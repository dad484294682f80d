// @vitest-environment jsdom
/**
 * board18 (security issue 17): the waiting-room board shows names only on a screen paired to the clinic. The
 * screen's states: not paired where the clinic shows names (tickets only + a hint for staff, in the reader's
 * language); opened once through the pairing link (`#key=…`: the key is kept on the device and taken off the
 * address, and every read sends it); paired (names, no hint; a change re-reads the board with the key, since the
 * pushed row carries no names); unpaired meanwhile (the database says `paired: false`: the key is forgotten).
 */
import { act, cleanup, render, screen, waitFor } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { I18nTestRoot } from '../../test/fixtures/I18nTestRoot';
import { BackendConfigProvider } from '../hooks/BackendConfig';
import { PublicScreensProvider, type LoadPublicScreens } from '../hooks/PublicScreensContext';
import { BOARD_KEY_PREFIX } from '../hooks/useBoardKey';
import { createAppI18n } from '../i18n/lazy';
import { ok } from '../services/shared/Result';
import type { PushedBoard, WaitingBoard } from '../services/queue/api/publicScreens';
import type { BoardBranding } from '../services/queue/api/boardBranding';
import BoardPage from './BoardPage';

type PublicScreensRepository = Awaited<ReturnType<LoadPublicScreens>>;
type BoardChange = Parameters<
  Parameters<PublicScreensRepository['boardFeed']['subscribe']>[1]['onChange']
>[0];

const KEY = 'ab'.repeat(32);

beforeEach(() => {
  window.localStorage.clear();
  window.history.replaceState(null, '', '/board/anfa');
});
afterEach(cleanup);

/** The database's answer: names only with this clinic's live key and the setting on (as get_waiting_board). */
function server(opts: {
  showNames: boolean;
  liveKeys: string[];
  /** board20: the rooms the admin set for the paired screen, and the clinic's branding */
  rooms?: string[];
  branding?: BoardBranding;
}) {
  const reads: (string | null | undefined)[] = [];
  const boardSubscribers: { onChange(c: BoardChange): void }[] = [];
  let version = 10;
  let called = 'A-002';
  const answer = (key: string | null | undefined): WaitingBoard => {
    const paired = !!key && opts.liveKeys.includes(key);
    const names = opts.showNames && paired;
    return {
      clinic: { name: 'Anfa', default_language: 'fr', time_zone: 'Africa/Casablanca' },
      day: '2026-11-30',
      version,
      now_serving: [{ ticket: called, room: '3', name: names ? 'Bruno P.' : null }],
      next: [{ ticket: 'A-001', name: names ? 'Amina P.' : null }],
      paired,
      names_hidden: opts.showNames && !paired,
      ...(opts.rooms ? { rooms: paired ? opts.rooms : null } : {}),
    };
  };
  const repo = new Proxy({} as PublicScreensRepository, {
    get: (_t, name) => {
      switch (name) {
        case 'then':
          return undefined;
        case 'boardClinic':
          return async () =>
            ok({
              id: 'c1',
              slug: 'anfa',
              name: 'Anfa',
              time_zone: 'Africa/Casablanca',
              default_language: 'fr',
            });
        case 'board':
          return async (_clinicId: string, key?: string | null) => {
            reads.push(key);
            return ok(answer(key));
          };
        case 'boardBranding':
          if (opts.branding) return async () => ok(opts.branding);
          return () => {
            throw new Error('unexpected call boardBranding');
          };
        case 'queueVersion':
          return async () => ok(version);
        case 'boardFeed':
          return {
            subscribe(_c: string, h: { onChange(c: BoardChange): void }) {
              boardSubscribers.push(h);
              return () => undefined;
            },
          };
        default:
          return () => {
            throw new Error(`unexpected call ${String(name)}`);
          };
      }
    },
  });
  /** A desk step: the queue moves and the pushed row (never with names) reaches every board. */
  const step = (ticket: string) => {
    version++;
    called = ticket;
    const row: PushedBoard = {
      queue_id: 'q1',
      clinic_id: 'c1',
      day: '2026-11-30',
      version,
      day_status: 'open',
      now_serving: [{ ticket, room: '3', name: null }],
      next: [{ ticket: 'A-001', name: null }],
    };
    return act(async () =>
      boardSubscribers.forEach((s) =>
        s.onChange({ clinicId: 'c1', queueId: 'q1', day: row.day, version, board: row }),
      ),
    );
  };
  return { repo, reads, step, subscribed: () => boardSubscribers.length > 0 };
}

const renderBoard = async (lng: 'ar' | 'fr' | 'en', repo: PublicScreensRepository) => {
  const i18n = await createAppI18n(lng);
  render(
    <I18nTestRoot i18n={i18n}>
      <BackendConfigProvider config={{ supabaseUrl: 'http://127.0.0.1:1', supabaseAnonKey: 'anon' }}>
        <PublicScreensProvider load={async () => repo}>
          <BoardPage params={{ clinic: 'anfa' }} />
        </PublicScreensProvider>
      </BackendConfigProvider>
    </I18nTestRoot>,
  );
  await screen.findByTestId('serving-A-002');
};

describe('BoardPage: names only on a paired screen (board18)', () => {
  it.each([
    ['en', 'Screen not paired: tickets only.'],
    ['fr', 'Écran non appairé : numéros seulement.'],
    ['ar', 'شاشة غير مقترنة: الأرقام فقط.'],
  ] as const)(
    '%s: a screen that is not paired shows tickets only, with a hint for staff where the clinic shows names',
    async (lng, hint) => {
      const s = server({ showNames: true, liveKeys: [KEY] });
      await renderBoard(lng, s.repo);
      expect(screen.getByTestId('board-not-paired').textContent).toContain(hint);
      expect(screen.queryByTestId('serving-name-A-002')).toBeNull();
      expect(s.reads).toEqual([null]);
      expect(document.documentElement.dir).toBe(lng === 'ar' ? 'rtl' : 'ltr');
    },
  );

  it('no hint where the clinic shows no names', async () => {
    const s = server({ showNames: false, liveKeys: [] });
    await renderBoard('en', s.repo);
    expect(screen.queryByTestId('board-not-paired')).toBeNull();
  });

  it('the pairing link: the key is kept on the device, taken off the address, and sent with every read', async () => {
    window.history.replaceState(null, '', `/board/anfa#key=${KEY}`);
    const s = server({ showNames: true, liveKeys: [KEY] });
    await renderBoard('en', s.repo);
    expect(window.location.hash).toBe('');
    expect(window.location.pathname).toBe('/board/anfa');
    expect(window.localStorage.getItem(BOARD_KEY_PREFIX + 'anfa')).toBe(KEY);
    expect((await screen.findByTestId('serving-name-A-002')).textContent).toBe('Bruno P.');
    expect(screen.getByTestId('next-name-A-001').textContent).toBe('Amina P.');
    expect(screen.queryByTestId('board-not-paired')).toBeNull();
    expect(s.reads).toEqual([KEY]);
  });

  it('a paired screen re-reads the board with its key on a change (the pushed row has no names): names stay', async () => {
    window.localStorage.setItem(BOARD_KEY_PREFIX + 'anfa', KEY);
    const s = server({ showNames: true, liveKeys: [KEY] });
    await renderBoard('en', s.repo);
    await waitFor(() => expect(s.subscribed()).toBe(true));
    await s.step('A-003');
    expect((await screen.findByTestId('serving-name-A-003')).textContent).toBe('Bruno P.');
    expect(s.reads.every((k) => k === KEY)).toBe(true);
    expect(s.reads.length).toBeGreaterThanOrEqual(2);
  });

  it('an unpaired screen renders the pushed change as it comes, without a read', async () => {
    const s = server({ showNames: false, liveKeys: [] });
    await renderBoard('en', s.repo);
    await waitFor(() => expect(s.subscribed()).toBe(true));
    const before = s.reads.length;
    await s.step('A-003');
    await screen.findByTestId('serving-A-003');
    expect(s.reads.length).toBe(before);
  });

  it('a key the database no longer knows (unpaired) is forgotten: tickets only, and the next read sends none', async () => {
    window.localStorage.setItem(BOARD_KEY_PREFIX + 'anfa', KEY);
    const s = server({ showNames: true, liveKeys: [] });
    await renderBoard('en', s.repo);
    await waitFor(() => expect(window.localStorage.getItem(BOARD_KEY_PREFIX + 'anfa')).toBeNull());
    await waitFor(() => expect(s.reads).toEqual([KEY, null]));
    expect(await screen.findByTestId('board-not-paired')).toBeTruthy();
    expect(screen.queryByTestId('serving-name-A-002')).toBeNull();
  });
});

describe('BoardPage: a per-room screen (issue 17)', () => {
  const renderFor = async (search: string, s: ReturnType<typeof server>) => {
    window.history.replaceState(null, '', `/board/anfa${search}`);
    const i18n = await createAppI18n('fr');
    render(
      <I18nTestRoot i18n={i18n}>
        <BackendConfigProvider config={{ supabaseUrl: 'http://127.0.0.1:1', supabaseAnonKey: 'anon' }}>
          <PublicScreensProvider load={async () => s.repo}>
            <BoardPage params={{ clinic: 'anfa' }} />
          </PublicScreensProvider>
        </BackendConfigProvider>
      </I18nTestRoot>,
    );
    await waitFor(() => expect(screen.getByTestId('next-tickets').textContent).toContain('A-001'));
  };

  it('`?rooms=1` shows its rooms, not the call to room 3; the next ticket for any doctor stays', async () => {
    await renderFor('?rooms=1', server({ showNames: false, liveKeys: [] }));
    expect(screen.getByTestId('board-rooms').textContent).toBe('Salles 1');
    expect(screen.queryByTestId('serving-A-002')).toBeNull();
  });

  it('`?rooms=3` shows the call to room 3, and a later call there', async () => {
    const s = server({ showNames: false, liveKeys: [] });
    await renderFor('?rooms=2,3', s);
    expect(screen.getByTestId('board-rooms').textContent).toBe('Salles 2, 3');
    expect(screen.getByTestId('serving-A-002')).toBeTruthy();
    // the change must reach a subscribed board: the feed's subscription comes after the first render (a busy
    // machine let the step fire before it — the row went to no one and the test waited in vain)
    await waitFor(() => expect(s.subscribed()).toBe(true));
    await s.step('A-004');
    await screen.findByTestId('serving-A-004');
  });
});

describe('BoardPage: branding and the rooms the admin set for a paired screen (board20)', () => {
  const LOGO = 'data:image/png;base64,iVBORw0KGgo=';
  /** now serving A-002 in room 3 (server()); plus A-005 in room 1 */
  const twoRooms = (s: ReturnType<typeof server>) =>
    new Proxy(s.repo, {
      get: (t, name) =>
        name === 'board'
          ? async (c: string, key?: string | null) => {
              const r = await t.board(c, key);
              return r.ok
                ? ok({
                    ...r.value,
                    now_serving: [...r.value.now_serving, { ticket: 'A-005', room: '1', name: null }],
                  })
                : r;
            }
          : (t as unknown as Record<string | symbol, unknown>)[name],
    });

  it.each(['en', 'fr', 'ar'] as const)(
    '%s: a paired screen shows only the rooms the admin set for it, with no rooms in its address; the logo and colours are the clinic’s',
    async (lng) => {
      window.history.replaceState(null, '', `/board/anfa#key=${KEY}`);
      const s = server({
        showNames: false,
        liveKeys: [KEY],
        rooms: ['3'],
        branding: { bg: '#1e3a8a', accent: '#fde68a', logo: LOGO, custom: true },
      });
      await renderBoard(lng, twoRooms(s));
      expect(screen.queryByTestId('serving-A-005')).toBeNull();
      expect(screen.getByTestId('board-rooms').textContent).toContain('3');
      const logo = await screen.findByTestId('board-logo');
      expect(logo.getAttribute('src')).toBe(LOGO);
      expect(logo.getAttribute('alt')).toBe('');
      const root = screen.getByTestId('board');
      expect(root.style.getPropertyValue('--color-brand-900')).toBe('#1e3a8a');
      expect(root.style.getPropertyValue('--color-emerald-200')).toBe('#fde68a');
      expect(document.documentElement.dir).toBe(lng === 'ar' ? 'rtl' : 'ltr');
    },
  );

  it('a screen that is not paired shows every room and the board’s own colours without branding', async () => {
    const s = server({
      showNames: false,
      liveKeys: [KEY],
      rooms: ['3'],
      branding: { bg: '#0e463f', accent: '#a7f3d0', logo: null, custom: false },
    });
    await renderBoard('en', twoRooms(s));
    expect(screen.getByTestId('serving-A-005')).toBeTruthy();
    expect(screen.queryByTestId('board-rooms')).toBeNull();
    expect(screen.queryByTestId('board-logo')).toBeNull();
    expect(screen.getByTestId('board').style.getPropertyValue('--color-brand-900')).toBe('');
  });
});
