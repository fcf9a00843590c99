import type { Migration } from './types';

/**
 * The routing plan each column followed (primary and fallbacks, as JSON) and
 * whether it differed from the plan the pre-flight showed, so `history show`
 * says what was planned as well as what served. Rows from before carry NULL
 * (no plan recorded), which reads back as "no plan", not as an empty one.
 */
export const m0007: Migration = {
  name: '0007-column-plan',
  up(db) {
    db.exec(`
      ALTER TABLE columns ADD COLUMN plan_json TEXT;
      ALTER TABLE columns ADD COLUMN replanned INTEGER NOT NULL DEFAULT 0;
    `);
  },
};
