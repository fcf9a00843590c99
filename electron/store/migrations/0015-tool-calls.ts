import type { Migration } from './types';

/**
 * Tools and structured output. Per column row (so per turn): the tool calls the
 * model made, whether its answer validated against the response schema, and the
 * tool results its prompt carried for the turn before. JSON text, read back
 * through the contract's zod schemas; NULL where there were none.
 */
export const m0015: Migration = {
  name: '0015-tool-calls',
  up(db) {
    db.exec(`
      ALTER TABLE columns ADD COLUMN tool_calls_json TEXT;
      ALTER TABLE columns ADD COLUMN structured_json TEXT;
      ALTER TABLE columns ADD COLUMN tool_results_json TEXT;
    `);
  },
};
