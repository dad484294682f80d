export function bundleIsFresh(root: string, dir: string): boolean;
export function serverBundle(root: string, dir?: string): Promise<{ url: URL; built: boolean } | null>;
