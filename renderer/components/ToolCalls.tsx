import { memo, useId } from 'react';
import type { ColumnResult } from '../../shared/domain';
import { callComplete, prettyArguments, type ToolCall } from '../../shared/tools';
import { copyText } from '../lib/clipboard';
import { useCopied } from './useCopied';

export interface ToolCallsProps {
  calls: ToolCall[];
  /** Results typed so far, by call id; with `onResult`, each call gets a field for the next follow-up. */
  results?: Readonly<Record<string, string>>;
  onResult?(callId: string, value: string): void;
}

function ToolCallItem({ call, result, onResult }: { call: ToolCall; result: string | undefined; onResult?: ((callId: string, value: string) => void) | undefined }) {
  const id = useId();
  const [copied, setCopied] = useCopied();
  // Still streaming: the argument text as it has come so far; pretty-printed once the call is complete.
  const building = !callComplete(call);
  const text = building ? call.arguments : prettyArguments(call);
  return (
    <li className="tool-call" data-testid="tool-call" data-call-id={call.id} data-building={building ? 'true' : undefined} aria-busy={building}>
      <div className="tool-call-head">
        <span className="tool-call-name" data-testid="tool-call-name">
          {call.name}
        </span>
        <span className="muted mono tool-call-id">{call.id}</span>
        {building && (
          <span className="muted tool-call-building" data-testid="tool-call-building">
            building…
          </span>
        )}
        <button type="button" className="btn btn-small" data-testid="tool-call-copy" aria-label={`Copy the arguments of ${call.name}`} onClick={() => void copyText(text).then(() => setCopied(true), () => undefined)}>
          {copied ? 'Copied' : 'Copy'}
        </button>
      </div>
      <pre className="tool-call-args mono" data-testid="tool-call-args" tabIndex={0} aria-label={`arguments of ${call.name}`}>
        {text}
      </pre>
      {call.parseError && (
        <p className="field-error" data-testid="tool-call-parse-error">
          {call.parseError}
        </p>
      )}
      {onResult && !building && (
        <label className="tool-result" htmlFor={id}>
          <span className="field-label">Result for the next follow-up</span>
          <input
            id={id}
            className="input mono"
            data-testid="tool-result"
            placeholder='JSON or text (blank: "no result provided")'
            value={result ?? ''}
            onChange={(e) => onResult(call.id, e.target.value)}
          />
        </label>
      )}
    </li>
  );
}

/** The tool calls a model made: name, id, pretty-printed arguments (copyable), and a result field for the next turn. */
export const ToolCalls = memo(function ToolCalls({ calls, results, onResult }: ToolCallsProps) {
  if (calls.length === 0) return null;
  return (
    <section className="tool-calls" aria-label={`${calls.length} tool call${calls.length === 1 ? '' : 's'}`} data-testid="tool-calls">
      <h3 className="field-label">Tool calls</h3>
      <ul>
        {calls.map((c) => (
          <ToolCallItem key={c.id} call={c} result={results?.[c.id]} onResult={onResult} />
        ))}
      </ul>
    </section>
  );
});

/** "valid JSON per schema" or "invalid: reason", for an answer given a response format. */
export function StructuredBadge({ check }: { check: NonNullable<ColumnResult['structured']> }) {
  const why = (check.errors ?? []).join('; ');
  return (
    <p className={`schema-badge ${check.valid ? 'schema-badge--ok' : 'schema-badge--bad'}`} data-testid="schema-badge" data-valid={String(check.valid)} role="status">
      {check.valid ? 'valid JSON per schema' : `invalid: ${why}`}
    </p>
  );
}
