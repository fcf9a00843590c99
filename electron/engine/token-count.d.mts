export declare const MAX_PIECE: number;
export declare class CountCancelled extends Error {}
export interface CountOptions {
  /** performance.now() after which the rest of the text counts as its UTF-8 bytes. */
  deadline?: number;
  cancelled?: () => boolean;
}
export interface BoundedCount {
  tokens: number;
  /** True when some text was counted by its bytes: `tokens` is then at most, not exactly. */
  upperBound: boolean;
}
export declare function counterFor(enc: unknown): (text: string, opts?: CountOptions) => BoundedCount;
