import { useEffect, useRef, useState } from 'react';
import type { ExportFormat } from '../../shared/export/run-export';
import { saveTextFile } from '../lib/download';
import { useApp } from '../store';

const FORMATS: Array<{ format: ExportFormat; label: string; hint: string }> = [
  { format: 'md', label: 'Markdown', hint: 'prompt, metrics table and every answer' },
  { format: 'json', label: 'JSON', hint: 'the compare --json shape' },
  { format: 'csv', label: 'CSV', hint: 'one row of metrics per column' },
  { format: 'html', label: 'HTML page', hint: 'one self-contained file, readable offline and printable' },
];

export interface ExportMenuProps {
  runIds: readonly string[];
  label: string;
  testId: string;
}

/** "Export…" and its four formats; the file comes from the engine, the browser saves it. */
export function ExportMenu({ runIds, label, testId }: ExportMenuProps) {
  const exportRuns = useApp((s) => s.exportRuns);
  const exporting = useApp((s) => s.exporting);
  const [open, setOpen] = useState(false);
  const ref = useRef<HTMLDivElement>(null);

  useEffect(() => {
    if (!open) return;
    const away = (e: MouseEvent): void => {
      if (!ref.current?.contains(e.target as Node)) setOpen(false);
    };
    document.addEventListener('mousedown', away);
    return () => document.removeEventListener('mousedown', away);
  }, [open]);

  return (
    <div className="export-menu" ref={ref} onKeyDown={(e) => e.key === 'Escape' && setOpen(false)}>
      <button
        type="button"
        className="btn"
        data-testid={testId}
        aria-haspopup="menu"
        aria-expanded={open}
        disabled={runIds.length === 0 || exporting}
        onClick={() => setOpen((o) => !o)}
      >
        {label}
      </button>
      {open && (
        <div className="export-menu-list" role="menu" aria-label="Export format">
          {FORMATS.map((f) => (
            <button
              key={f.format}
              type="button"
              role="menuitem"
              className="export-menu-item"
              data-testid={`export-${f.format}`}
              title={f.hint}
              onClick={() => {
                setOpen(false);
                void exportRuns(runIds, f.format, saveTextFile);
              }}
            >
              {f.label} <span className="muted">.{f.format}</span>
            </button>
          ))}
        </div>
      )}
    </div>
  );
}
