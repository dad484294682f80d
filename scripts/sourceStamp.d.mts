export const STAMP_FILE: string;
export function sourceStamp(root: string, env?: NodeJS.ProcessEnv): string;
export function buildIsStale(root: string, outDir?: string): boolean;
