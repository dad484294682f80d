// scripts/routeSizes.mjs — what `npm run size` and `npm run bench:web` count for a route's first render.
import { describe, expect, it } from 'vitest';
import { routeSizes, type Manifest } from '../../scripts/routeSizes.mjs';

const SIZES: Record<string, number> = {
  'assets/index.js': 100,
  'assets/jsx.js': 10,
  'assets/TrackerPage.js': 5,
  'assets/DashboardPage.js': 20,
  'assets/QueryRoot.js': 7,
  'assets/ar.js': 6,
  'assets/fr.js': 5,
  'assets/en.js': 4,
};
const sizeOf = (f: string) => SIZES[f] ?? 0;
/** What the screens load on demand before their first render (sized 0 unless a test says otherwise). */
const ON_DEMAND: Manifest = {
  'src/services/composition/browserApp.ts': { file: 'assets/app.js' },
  'src/services/queue/repositories/seededPublicScreens.ts': { file: 'assets/port0.js' },
};

describe('route sizes', () => {
  it('counts the reader language when the locales are shared chunks (_ar-<hash>.js), once', () => {
    // DashboardPage imports every locale statically, so Vite lists them as shared chunks
    const manifest: Manifest = {
      'index.html': { file: 'assets/index.js', isEntry: true, imports: ['_jsx.js'] },
      '_jsx.js': { file: 'assets/jsx.js' },
      '_ar-Bs1.js': { file: 'assets/ar.js', name: 'ar' },
      '_fr-Ds2.js': { file: 'assets/fr.js', name: 'fr' },
      '_en-ul3.js': { file: 'assets/en.js', name: 'en' },
      'src/hooks/QueryRoot.tsx': { file: 'assets/QueryRoot.js' },
      ...ON_DEMAND,
      'src/pages/TrackerPage.tsx': { file: 'assets/TrackerPage.js', imports: ['index.html', '_jsx.js'] },
      'src/pages/DashboardPage.tsx': {
        file: 'assets/DashboardPage.js',
        imports: ['index.html', '_ar-Bs1.js', '_fr-Ds2.js', '_en-ul3.js'],
      },
    };
    const sizes = routeSizes(manifest, sizeOf);
    expect(sizes['src/pages/TrackerPage.tsx']?.bytes).toBe(100 + 10 + 5 + 6); // + the largest locale (ar)
    expect(sizes['src/pages/DashboardPage.tsx']?.bytes).toBe(100 + 10 + 20 + 7 + 6 + 5 + 4); // all three, once
  });

  it('counts a lazily loaded locale (src/i18n/locales/ar.ts) the same way', () => {
    const manifest: Manifest = {
      'index.html': { file: 'assets/index.js', isEntry: true, imports: ['_jsx.js'] },
      '_jsx.js': { file: 'assets/jsx.js' },
      'src/i18n/locales/ar.ts': { file: 'assets/ar.js', name: 'ar', src: 'src/i18n/locales/ar.ts' },
      'src/i18n/locales/en.ts': { file: 'assets/en.js', name: 'en', src: 'src/i18n/locales/en.ts' },
      ...ON_DEMAND,
      'src/pages/TrackerPage.tsx': { file: 'assets/TrackerPage.js', imports: ['index.html'] },
    };
    expect(routeSizes(manifest, sizeOf)['src/pages/TrackerPage.tsx']?.bytes).toBe(100 + 10 + 5 + 6);
  });

  it('counts what a screen loads on demand before its first render: supabase-js for the dashboard, the port for the tracker', () => {
    const manifest: Manifest = {
      'index.html': { file: 'assets/index.js', isEntry: true, imports: ['_jsx.js'] },
      '_jsx.js': { file: 'assets/jsx.js' },
      'src/i18n/locales/ar.ts': { file: 'assets/ar.js', name: 'ar', src: 'src/i18n/locales/ar.ts' },
      'src/hooks/QueryRoot.tsx': { file: 'assets/QueryRoot.js' },
      'src/services/composition/browserApp.ts': { file: 'assets/supabase.js' },
      'src/services/queue/repositories/seededPublicScreens.ts': { file: 'assets/port.js' },
      'src/pages/TrackerPage.tsx': { file: 'assets/TrackerPage.js', imports: ['index.html'] },
      'src/pages/DashboardPage.tsx': { file: 'assets/DashboardPage.js', imports: ['index.html'] },
    };
    const sized = (f: string) => ({ 'assets/supabase.js': 50, 'assets/port.js': 3 })[f] ?? sizeOf(f);
    const sizes = routeSizes(manifest, sized);
    expect(sizes['src/pages/TrackerPage.tsx']?.bytes).toBe(100 + 10 + 5 + 3 + 6);
    expect(sizes['src/pages/DashboardPage.tsx']?.bytes).toBe(100 + 10 + 20 + 7 + 50 + 6);
  });

  it('counts the port inside its codeSplitting group (the `public` chunk) when it is no chunk of its own', () => {
    const manifest: Manifest = {
      'index.html': { file: 'assets/index.js', isEntry: true, imports: ['_jsx.js'] },
      '_jsx.js': { file: 'assets/jsx.js' },
      'src/i18n/locales/ar.ts': { file: 'assets/ar.js', name: 'ar', src: 'src/i18n/locales/ar.ts' },
      'src/hooks/QueryRoot.tsx': { file: 'assets/QueryRoot.js' },
      'src/services/composition/browserApp.ts': { file: 'assets/app.js' },
      // the port, its hooks and schemas in one chunk, which the page imports statically
      '_public-Xy1.js': { file: 'assets/public.js', name: 'public', imports: ['index.html'] },
      'src/pages/TrackerPage.tsx': {
        file: 'assets/TrackerPage.js',
        imports: ['index.html', '_public-Xy1.js'],
      },
      'src/pages/BoardPage.tsx': { file: 'assets/BoardPage.js', imports: ['index.html'] },
    };
    const sized = (f: string) => ({ 'assets/public.js': 4, 'assets/BoardPage.js': 2 })[f] ?? sizeOf(f);
    const sizes = routeSizes(manifest, sized);
    expect(sizes['src/pages/TrackerPage.tsx']?.bytes).toBe(100 + 10 + 5 + 4 + 6);
    // a page that loads the port on demand gets the group's chunk counted too, once
    expect(sizes['src/pages/BoardPage.tsx']?.bytes).toBe(100 + 10 + 2 + 4 + 6);
    // without the group's chunk (and without the module's own) the count refuses, as before
    const { ['_public-Xy1.js']: _gone, ...withoutGroup } = manifest;
    withoutGroup['src/pages/TrackerPage.tsx'] = { file: 'assets/TrackerPage.js', imports: ['index.html'] };
    expect(() => routeSizes(withoutGroup, sized)).toThrow(/seededPublicScreens\.ts/);
  });

  it('fails when a module a screen needs before its first render is not a chunk of the build (no silent undercount)', () => {
    const manifest: Manifest = {
      'index.html': { file: 'assets/index.js', isEntry: true },
      // supabase-js bundled into another chunk: no manifest entry of its own any more
      'src/pages/DashboardPage.tsx': { file: 'assets/DashboardPage.js', imports: ['index.html'] },
      'src/pages/TrackerPage.tsx': { file: 'assets/TrackerPage.js', imports: ['index.html'] },
    };
    expect(() => routeSizes(manifest, sizeOf)).toThrow(
      /DashboardPage\.tsx needs src\/services\/composition\/browserApp\.ts/,
    );
  });
});
