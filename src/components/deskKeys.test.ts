// @vitest-environment jsdom
// The desk's key buffer in the app's entry (router.tsx, issue 14): from the moment the URL is /staff, before
// the staff screen's code has loaded; never on another page.
import { afterEach, describe, expect, it } from 'vitest';
import { deskScreenMounted, installDeskKeys, navigate, takeDeskKeys } from './router';

const press = (key: string, target: EventTarget = document.body) => {
  const ev = new KeyboardEvent('keydown', { key, bubbles: true, cancelable: true });
  target.dispatchEvent(ev);
  return ev.defaultPrevented;
};
/** Takes the desk's keys as a ready desk would and answers what it ran (and releases them again). */
const ranByReadyDesk = () => {
  const ran: string[] = [];
  takeDeskKeys((k) => (ran.push(k), true))();
  return ran;
};

installDeskKeys();
afterEach(() => navigate('/', { replace: true }));

describe('desk keys before the staff screen has loaded', () => {
  it('on /staff an E is kept (not left to the page being left) and runs when the desk is ready', () => {
    navigate('/sign-in');
    const password = document.body.appendChild(document.createElement('input'));
    navigate('/staff'); // signed in: the sign-in form still shows while the staff screen loads
    expect(press('e', password)).toBe(true);
    password.remove();
    expect(ranByReadyDesk()).toEqual(['e']);
  });

  it('on another page nothing is taken: the key types, and no desk runs it later', () => {
    navigate('/sign-in');
    const field = document.body.appendChild(document.createElement('input'));
    expect(press('e', field)).toBe(false);
    expect(press('n')).toBe(false);
    field.remove();
    navigate('/staff');
    expect(ranByReadyDesk()).toEqual([]);
  });

  it('a kept key is dropped when the URL leaves /staff before the desk is ready', () => {
    navigate('/staff');
    expect(press('w')).toBe(true);
    navigate('/admin');
    navigate('/staff');
    expect(ranByReadyDesk()).toEqual([]);
  });

  it('once the staff screen is mounted its own fields keep their keys; modifiers and other keys pass', () => {
    navigate('/staff');
    const unmount = deskScreenMounted();
    const search = document.body.appendChild(document.createElement('input'));
    expect(press('e', search)).toBe(false);
    search.remove();
    expect(press('x')).toBe(false);
    const ctrlN = new KeyboardEvent('keydown', { key: 'n', ctrlKey: true, bubbles: true, cancelable: true });
    document.body.dispatchEvent(ctrlN);
    expect(ctrlN.defaultPrevented).toBe(false);
    expect(ranByReadyDesk()).toEqual([]);
    unmount();
  });
});
