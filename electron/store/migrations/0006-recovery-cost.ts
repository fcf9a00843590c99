import type { Migration } from './types';

/**
 * What crash recovery needs to bill a column the provider already charged for:
 * each attempt keeps the price in force when it was sent (a later override or
 * catalog refresh must not reprice it), and a partial index finds the
 * interrupted columns whose cost is still to be settled without reading every
 * column's text at start-up.
 */
export const m0006: Migration = {
  name: '0006-recovery-cost',
  up(db) {
    db.exec(`
      ALTER TABLE attempts ADD COLUMN price_json TEXT;
      CREATE INDEX columns_unsettled ON columns(id)
        WHERE status = 'interrupted' AND output_tokens IS NULL AND (text <> '' OR reasoning <> '');
    `);
  },
};
