/**
 * The files a past run's prompts carried (name, type, size), images as
 * thumbnails read back from the store; a file whose bytes are no longer
 * stored says so.
 */
import { useEffect } from 'react';
import type { AttachmentRef } from '../../shared/attachments';
import type { PastAttachment } from '../../shared/contract/history';
import { attachmentKind, attachmentSize } from './Attachments';

export interface PastAttachmentsProps {
  attachments: readonly AttachmentRef[];
  loaded: Readonly<Record<string, PastAttachment | { hash: string; error: string }>>;
  load(hash: string): void;
}

export function PastAttachments({ attachments, loaded, load }: PastAttachmentsProps) {
  useEffect(() => {
    for (const a of attachments) load(a.hash);
  }, [attachments, load]);
  if (!attachments.length) return null;
  return (
    <ul className="chips past-attachments" aria-label="Attached files" data-testid="history-attachments">
      {attachments.map((a, i) => {
        const got = loaded[a.hash];
        const gone = got && 'stored' in got && !got.stored;
        const failed = got && 'error' in got ? got.error : null;
        const thumb = got && 'dataBase64' in got && got.dataBase64 && got.mime ? `data:${got.mime};base64,${got.dataBase64}` : null;
        return (
          <li key={`${a.hash}:${i}`} className={`chip attachment-chip${gone ? ' chip-bad' : ''}`} data-testid="history-attachment" data-hash={a.hash} title={`${a.name} (${attachmentKind(a.mime)}, ${attachmentSize(a.size)})`}>
            {thumb ? <img className="attachment-thumb past-thumb" src={thumb} alt={a.name} data-testid="history-attachment-thumb" /> : <span className="attachment-kind mono">{attachmentKind(a.mime)}</span>}
            <span>{a.name}</span>
            <span className="muted">
              {attachmentKind(a.mime)}, {attachmentSize(a.size)}
            </span>
            {gone && <span className="chip-why" data-testid="history-attachment-gone">file no longer stored</span>}
            {failed && <span className="chip-why">could not read it: {failed}</span>}
          </li>
        );
      })}
    </ul>
  );
}
