export function bundleIsFresh(root: string, dir: string, entries?: Record<string, string>): boolean;
export function serverBundle(
  root: string,
  dir?: string,
  entries?: Record<string, string>,
): Promise<{ url: URL; built: boolean } | null>;
