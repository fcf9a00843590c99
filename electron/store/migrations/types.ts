import type Database from 'better-sqlite3';

export interface Migration {
  name: string;
  up(db: Database.Database): void;
}
