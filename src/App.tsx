/** The web app: lazy routes (one chunk per screen), wrapped in the error boundary and toasts. */
import { lazy, useEffect, type ComponentType, type LazyExoticComponent } from 'react';
import { AppFrame } from './components/AppFrame';
import { installDeskKeys, matchPath, usePath } from './components/router';

type Page = LazyExoticComponent<ComponentType<{ params: Record<string, string> }>>;
const page = (load: () => Promise<{ default: ComponentType<{ params: Record<string, string> }> }>): Page =>
  lazy(load);

/** [path, page, needs the services + react-query] — the tracker and the board do not, so they download neither. */
export const ROUTES: [string, Page, boolean][] = [
  ['/', page(() => import('./pages/HomePage')), true],
  ['/sign-in', page(() => import('./pages/SignInPage')), true],
  ['/invite/:token', page(() => import('./pages/InvitePage')), true],
  ['/staff', page(() => import('./pages/DashboardPage')), true],
  ['/kiosk', page(() => import('./pages/KioskPage')), true],
  ['/admin', page(() => import('./pages/AdminPage')), true],
  ['/board/:clinic', page(() => import('./pages/BoardPage')), false],
  ['/t/:token', page(() => import('./pages/TrackerPage')), false],
  ['/c/:slug', page(() => import('./pages/ClinicPage')), true],
  // the public clinic directory (issue 17, dir20)
  ['/clinics', page(() => import('./pages/DirectoryPage')), true],
  ['/me', page(() => import('./pages/MyVisitsPage')), true],
];
const QueryRoot = lazy(() => import('./hooks/QueryRoot'));
const NotFound = page(() => import('./pages/NotFoundPage'));

export function App() {
  const path = usePath();
  // the desk's shortcuts are kept from the moment the URL is /staff, before its chunk has loaded (issue 14)
  useEffect(installDeskKeys, []);
  let Current: Page = NotFound;
  let params: Record<string, string> = {};
  let withQuery = true;
  for (const [pattern, Page, query] of ROUTES) {
    const m = matchPath(pattern, path);
    if (m) {
      Current = Page;
      params = m;
      withQuery = query;
      break;
    }
  }
  return (
    <AppFrame>
      {withQuery ? (
        <QueryRoot>
          <Current params={params} />
        </QueryRoot>
      ) : (
        <Current params={params} />
      )}
    </AppFrame>
  );
}
