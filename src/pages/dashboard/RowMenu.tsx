/**
 * A queue row's ⋯ menu: Radix's DropdownMenu (issue 15.16). Escape and a click outside close it, opening another
 * closes it, arrows and typeahead move between items, focus goes back to ⋯, and it follows the page's direction
 * (ar: rtl). Radix and floating-ui weigh ~15 KiB gzipped, so this travels in the desk's lazy DeskRecords chunk
 * and arrives just after the first render (RowActions shows ⋯ meanwhile, not yet usable; issue 14).
 */
import * as Menu from '@radix-ui/react-dropdown-menu';
import { useLayoutEffect } from 'react';
import { Button } from '../../components/ui';

export interface RowMenuProps {
  /** The row's entry id: the ⋯ of the same visit is found again after the list re-renders. */
  readonly id: string;
  readonly label: string;
  readonly dir: 'ltr' | 'rtl';
  readonly items: readonly (readonly [string, () => void])[];
}

/** The visit whose ⋯ (or open menu) had focus when its row was re-created (flake22): the new ⋯ takes it. */
let refocus: string | null = null;

/**
 * Focus stays on a row's ⋯ when the list re-renders under it (flake22): a queue refresh that re-sorts the rows
 * moves the focused ⋯ in the DOM (which blurs it), and one that re-creates the row (another doctor's pool, a
 * reload) replaces it — either way the focus would fall to the page, and Escape or the next key would act
 * nowhere. Focus is put back only when it fell to the page (never taken from where the user moved it).
 */
function useKeptFocus(id: string): void {
  const selector = `[data-row-menu=${JSON.stringify(id)}]`;
  const trigger = () => document.querySelector<HTMLElement>(selector);
  // read while rendering, before React moves this row's nodes
  const hadFocus = typeof document !== 'undefined' && document.activeElement === trigger();
  useLayoutEffect(() => {
    const el = trigger();
    const lost = document.activeElement === null || document.activeElement === document.body;
    if (el && lost && (hadFocus || refocus === id)) el.focus();
    if (refocus === id) refocus = null;
  });
  useLayoutEffect(
    () => () => {
      // unmounting (the row is re-created or leaves): remember whether this visit's ⋯ or menu had focus
      const a = document.activeElement;
      if (a && (a.matches(selector) || a.closest(`[data-row-menu-content=${JSON.stringify(id)}]`))) {
        refocus = id;
        // a re-created row mounts in the same commit; a row (or desk) that left for good must not pull focus to
        // this visit's ⋯ whenever it renders again later (mreview22 L4)
        setTimeout(() => {
          if (refocus === id) refocus = null;
        }, 0);
      }
    },
    [selector, id],
  );
}

/**
 * A closed menu gives focus back to its ⋯ a task after it unmounts (Radix's FocusScope) — unless focus has already
 * gone somewhere by then: another row's menu opened from the keyboard (whose menu that focus return closed at once,
 * desk-menus flake29), or a dialog an item opened. Focus is given back only when it fell to the page.
 */
function keepFocusMovedElsewhere(event: Event): void {
  const a = document.activeElement;
  if (a !== null && a !== document.body) event.preventDefault();
}

export function RowMenu({ id, label, dir, items }: RowMenuProps) {
  useKeptFocus(id);
  return (
    <Menu.Root modal={false} dir={dir}>
      <Menu.Trigger asChild>
        <Button size="sm" variant="ghost" aria-label={label} data-row-menu={id}>
          ⋯
        </Button>
      </Menu.Trigger>
      <Menu.Portal>
        <Menu.Content
          align="end"
          sideOffset={4}
          collisionPadding={8}
          data-row-menu-content={id}
          onCloseAutoFocus={keepFocusMovedElsewhere}
          className="z-20 min-w-44 rounded-xl border border-line bg-white p-1 shadow-lg"
        >
          {items.map(([text, fn]) => (
            <Menu.Item
              key={text}
              className="w-full cursor-pointer rounded-lg px-3 py-2 text-start text-sm outline-none hover:bg-brand-50 data-[highlighted]:bg-brand-50"
              onSelect={fn}
            >
              {text}
            </Menu.Item>
          ))}
        </Menu.Content>
      </Menu.Portal>
    </Menu.Root>
  );
}
