/** The window's export: the same bytes `switchyard history export` writes. */
import type { ExportRunsResult } from '../../shared/contract';
import { EXPORT_MIME, exportFilename, exportRuns, type ExportFormat } from '../../shared/export/run-export';
import { UserError } from '../engine/errors';
import { quote } from '../../shared/quote';
import type { AppContext } from './context';

export function exportRunsFor(ctx: Pick<AppContext, 'store'>, runIds: readonly string[], format: ExportFormat): ExportRunsResult {
  const runs = runIds.map((id) => {
    const run = ctx.store.runs.getRun(id);
    if (!run) throw new UserError(`no run ${quote(id)}`, 'not_found');
    return run;
  });
  return { content: exportRuns(runs, format), filename: exportFilename(runs, format), mime: EXPORT_MIME[format] };
}
