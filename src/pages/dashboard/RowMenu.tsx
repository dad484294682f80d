/**
 * A queue row's ⋯ menu: Radix's DropdownMenu (issue 15.16). Escape and a click outside close it, opening another
 * closes it, arrows and typeahead move between items, focus goes back to ⋯, and it follows the page's direction
 * (ar: rtl). Radix and floating-ui weigh ~15 KiB gzipped, so this travels in the desk's lazy DeskRecords chunk
 * and arrives just after the first render (RowActions shows ⋯ meanwhile, not yet usable; issue 14).
 */
import * as Menu from '@radix-ui/react-dropdown-menu';
import { Button } from '../../components/ui';

export interface RowMenuProps {
  readonly label: string;
  readonly dir: 'ltr' | 'rtl';
  readonly items: readonly (readonly [string, () => void])[];
}

export function RowMenu({ label, dir, items }: RowMenuProps) {
  return (
    <Menu.Root modal={false} dir={dir}>
      <Menu.Trigger asChild>
        <Button size="sm" variant="ghost" aria-label={label}>
          ⋯
        </Button>
      </Menu.Trigger>
      <Menu.Portal>
        <Menu.Content
          align="end"
          sideOffset={4}
          collisionPadding={8}
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
