import { memo, useEffect, useState } from 'react';
import { renderMarkdown, type MarkdownMode } from '../lib/markdown';
import { nextParseDelay } from '../lib/throttle';

interface Parsed {
  html: string;
  length: number;
  at: number;
  mode: MarkdownMode;
}

const now = (): number => performance.now();

function parse(text: string, mode: MarkdownMode): Parsed {
  return { html: text ? renderMarkdown(text, mode) : '', length: text.length, at: now(), mode };
}

/**
 * Markdown that re-parses on a throttle while a reply streams (see
 * lib/throttle) and shows the not-yet-parsed tail as plain text meanwhile.
 */
export const Markdown = memo(function Markdown({ text, streaming }: { text: string; streaming: boolean }) {
  const [parsed, setParsed] = useState<Parsed>(() => (streaming ? { html: '', length: 0, at: -Infinity, mode: 'streaming' } : parse(text, 'final')));

  useEffect(() => {
    if (!streaming) {
      if (parsed.mode !== 'final' || parsed.length !== text.length) setParsed(parse(text, 'final'));
      return;
    }
    const delay = nextParseDelay(text.length, parsed.length, parsed.at, now());
    if (delay === Infinity) return;
    if (delay === 0) {
      setParsed(parse(text, 'streaming'));
      return;
    }
    const timer = setTimeout(() => setParsed(parse(text, 'streaming')), delay);
    return () => clearTimeout(timer);
  }, [text, streaming, parsed]);

  const tail = text.length > parsed.length ? text.slice(parsed.length) : '';
  return (
    <div className="md" data-testid="column-text">
      <div className="md-html" dangerouslySetInnerHTML={{ __html: parsed.html }} />
      {tail && <span className="md-tail">{tail}</span>}
    </div>
  );
});
