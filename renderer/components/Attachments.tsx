/**
 * The prompt's attachments: a file picker, and a chip per file (a thumbnail
 * for small images) with its remove button. Dropping and pasting files are
 * handled by the prompt editor, which hands them to the same `onAttach`.
 */
import { useRef } from 'react';
import type { AttachmentRef } from '../../shared/attachments';
import { formatLimit, ATTACHMENT_LIMITS } from '../../shared/attachments';

export interface AttachmentsProps {
  attachments: readonly AttachmentRef[];
  previews: Readonly<Record<string, string>>;
  busy: boolean;
  error: string | null;
  onAttach(files: File[]): void;
  onRemove(hash: string): void;
}

/** What the picker offers; anything else dropped or pasted is still told by its bytes, and refused in one line. */
const ACCEPT = 'image/png,image/jpeg,image/webp,image/gif,application/pdf,text/*,.md,.txt,.csv,.json,.log,.yaml,.yml';

/** "48 KB", "2.1 MB" */
export function attachmentSize(bytes: number): string {
  return bytes >= 1024 * 1024 ? `${(bytes / (1024 * 1024)).toFixed(1)} MB` : `${Math.max(1, Math.round(bytes / 1024))} KB`;
}

const KIND: Record<AttachmentRef['mime'], string> = {
  'image/png': 'PNG', 'image/jpeg': 'JPEG', 'image/webp': 'WebP', 'image/gif': 'GIF', 'application/pdf': 'PDF', 'text/plain': 'text',
};
export const attachmentKind = (mime: AttachmentRef['mime']): string => KIND[mime];

export function Attachments(p: AttachmentsProps) {
  const input = useRef<HTMLInputElement>(null);
  const title = `Images up to ${formatLimit(ATTACHMENT_LIMITS.image)}, PDFs up to ${formatLimit(ATTACHMENT_LIMITS.pdf)}, text files up to ${formatLimit(ATTACHMENT_LIMITS.text)}; or drop or paste files into the prompt`;
  return (
    <div className="attachments">
      <div className="attach-row">
        <button type="button" className="btn btn-small" data-testid="attach-button" title={title} onClick={() => input.current?.click()}>
          Attach files…
        </button>
        <input
          ref={input}
          type="file"
          multiple
          hidden
          accept={ACCEPT}
          data-testid="attach-input"
          aria-label="Attach files"
          onChange={(e) => {
            const files = [...(e.currentTarget.files ?? [])];
            // Cleared so that picking the same file again fires a change.
            e.currentTarget.value = '';
            if (files.length) p.onAttach(files);
          }}
        />
        {p.busy && <span className="muted" data-testid="attach-busy">attaching…</span>}
      </div>
      {p.error && (
        <p className="field-error" role="alert" data-testid="attach-error">
          {p.error}
        </p>
      )}
      {p.attachments.length > 0 && (
        <ul className="chips" aria-label="attached files">
          {p.attachments.map((a) => (
            <li key={`${a.hash}:${a.name}`} className="chip attachment-chip" data-testid="attachment-chip" data-hash={a.hash} title={`${a.name} (${KIND[a.mime]}, ${attachmentSize(a.size)})`}>
              {p.previews[a.hash] ? <img className="attachment-thumb" src={p.previews[a.hash]} alt="" /> : <span className="attachment-kind mono">{KIND[a.mime]}</span>}
              <span>{a.name}</span>
              <span className="muted">{attachmentSize(a.size)}</span>
              <button type="button" className="chip-x" aria-label={`remove ${a.name}`} onClick={() => p.onRemove(a.hash)}>
                ×
              </button>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
