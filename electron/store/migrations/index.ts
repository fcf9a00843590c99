import { m0001 } from './0001-core';
import { m0002 } from './0002-routing';
import { m0003 } from './0003-catalog';
import { m0004 } from './0004-spend';
import { m0005 } from './0005-provider-models';
import { m0006 } from './0006-recovery-cost';
import { m0007 } from './0007-column-plan';
import { m0008 } from './0008-base-url-credentials';
import { m0009 } from './0009-key-bindings';
import { m0010 } from './0010-history-keyset';
import { m0011 } from './0011-attachments';
import { m0012 } from './0012-conversation-turns';
import { m0013 } from './0013-run-labels';
import { m0014 } from './0014-prompts';
import { m0015 } from './0015-tool-calls';
import { m0016 } from './0016-audit';
import { m0017 } from './0017-index-after-run';
import { m0018 } from './0018-turn-attachments';
import type { Migration } from './types';

/** Ordered; index i migrates user_version i -> i+1. Only ever append. */
export const migrations: Migration[] = [m0001, m0002, m0003, m0004, m0005, m0006, m0007, m0008, m0009, m0010, m0011, m0012, m0013, m0014, m0015, m0016, m0017, m0018];
export type { Migration };
