import type { Migration } from './types';

/**
 * Base URLs with credentials (`http://user:pw@host/v1`) are refused on save
 * now; one saved before that kept the password in plain text, and every
 * request to it failed anyway (fetch refuses such a URL). The userinfo is
 * removed, and the old bytes overwritten rather than left in free space.
 */
export const m0008: Migration = {
  name: '0008-base-url-credentials',
  up(db) {
    const secureDelete = db.pragma('secure_delete', { simple: true }) as number;
    db.pragma('secure_delete = ON');
    const rows = db.prepare(`SELECT id, base_url AS baseUrl FROM providers WHERE base_url LIKE '%@%'`).all() as Array<{ id: string; baseUrl: string }>;
    const update = db.prepare('UPDATE providers SET base_url = ? WHERE id = ?');
    for (const r of rows) {
      const stripped = r.baseUrl.replace(/^(\s*[a-z][a-z0-9+.-]*:\/\/)[^/?#]*@/i, '$1');
      if (stripped !== r.baseUrl) update.run(stripped, r.id);
    }
    db.pragma(`secure_delete = ${secureDelete ? 'ON' : 'OFF'}`);
  },
};
