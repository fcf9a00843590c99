export function electronBinary(repo: string, env?: NodeJS.ProcessEnv): string | null;
export function hasDisplay(platform?: NodeJS.Platform, env?: NodeJS.ProcessEnv): boolean;
export function desktopUnavailableReason(repo: string, platform?: NodeJS.Platform, env?: NodeJS.ProcessEnv): string | null;
export function electronAbi(repo: string): number | null;
