export interface AbiMismatch {
  builtFor: number;
  required: number;
}
export function parseAbiMismatch(err: unknown): AbiMismatch | null;
export function sqliteAbiProblem(err: unknown, versions?: NodeJS.ProcessVersions): string | null;
