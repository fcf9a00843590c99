import { useId, useState, type ReactNode } from 'react';
import { DEFAULT_IDLE_MS } from '../../shared/domain';
import type { Draft, DraftField, FieldErrors } from '../store/draft';
import { RoutingControls } from './RoutingControls';

export interface PromptEditorProps {
  draft: Draft;
  systemOpen: boolean;
  sending: boolean;
  running: boolean;
  sendError: string | null;
  shortcut: string;
  onChange(patch: Partial<Draft>): void;
  onToggleSystem(open: boolean): void;
  onSend(): void;
  onStopAll(): void;
  /** The pre-flight estimate, shown above Send. */
  preflight?: ReactNode;
  /** Why Send is disabled (a hard budget); the element with `blockedId` says so in full. */
  blockedReason?: string | null;
  blockedId?: string;
  /** Every bad field of the draft, each marked by its input. */
  fieldErrors?: FieldErrors;
  routingOpen?: boolean;
  onToggleRouting?(open: boolean): void;
  /** Targets the last Send left out (still unservable): said once, above Send. */
  leftOut?: string[];
  /** The attachment chips and picker, shown under the prompt. */
  attachments?: ReactNode;
  /** Files dropped on the prompt or pasted into it. */
  onAttachFiles?(files: File[]): void;
  /** Opens the prompt library; `libraryShortcut` is its key (Ctrl+L). */
  onOpenLibrary?(): void;
  libraryShortcut?: string;
}

/** Files carried by a drop or a paste; none for plain text. */
function filesOf(data: DataTransfer | null): File[] {
  return data ? [...data.files] : [];
}

/** The sentence by a marked input, and the attributes that tie the input to it. */
function FieldError({ id, message, testId }: { id: string; message: string | undefined; testId: string }) {
  if (!message) return null;
  return (
    <span className="field-error param-error" id={id} data-testid={testId}>
      {message}
    </span>
  );
}
const invalid = (id: string, message: string | undefined) => (message ? { 'aria-invalid': true as const, 'aria-describedby': id } : {});

const PARAMS: Array<{ key: 'temperature' | 'maxTokens' | 'topP' | 'seed' | 'idleTimeout'; label: string; testId: string; placeholder: string; step: string }> = [
  { key: 'temperature', label: 'temperature', testId: 'param-temperature', placeholder: 'default', step: '0.1' },
  { key: 'maxTokens', label: 'max tokens', testId: 'param-max-tokens', placeholder: 'default', step: '1' },
  { key: 'topP', label: 'top_p', testId: 'param-top-p', placeholder: 'default', step: '0.05' },
  { key: 'seed', label: 'seed', testId: 'param-seed', placeholder: 'none', step: '1' },
  // Not sent to the model: how long a stream may stall before the engine ends it or fails over.
  { key: 'idleTimeout', label: 'idle timeout (s)', testId: 'param-idle-timeout', placeholder: String(DEFAULT_IDLE_MS / 1000), step: '1' },
];

/** How long the engine waits before failing over; the CLI's --first-token-timeout and friends. */
const TIMEOUTS: Array<{ key: 'firstTokenTimeout'; label: string; testId: string; title: string }> = [
  { key: 'firstTokenTimeout', label: 'first token (ms)', testId: 'param-first-token-timeout', title: 'Fail over when no first token arrives this long after the request is sent (default 60000)' },
];

export function PromptEditor(p: PromptEditorProps) {
  const base = useId();
  const errors = p.fieldErrors ?? {};
  const errId = (k: DraftField) => `${base}-${k}-err`;
  const sendOff = p.sending || p.running || !!p.blockedReason;
  return (
    <div className="prompt-editor">
      {p.onOpenLibrary && (
        <div className="library-open-row">
          <button type="button" className="btn btn-small" data-testid="library-open" aria-keyshortcuts={p.libraryShortcut === '⌘L' ? 'Meta+L' : 'Control+L'} onClick={p.onOpenLibrary} title="Saved prompts and system prompts, with {{variables}} you fill in">
            Library… {p.libraryShortcut && <kbd>{p.libraryShortcut}</kbd>}
          </button>
        </div>
      )}
      <details className="system" open={p.systemOpen} onToggle={(e) => p.onToggleSystem(e.currentTarget.open)}>
        <summary>
          System prompt{!p.systemOpen && p.draft.system.trim() ? <span className="muted"> · set</span> : null}
        </summary>
        <textarea
          className="input"
          data-testid="prompt-system"
          aria-label="System prompt"
          rows={3}
          value={p.draft.system}
          placeholder="Optional instructions sent to every model"
          onChange={(e) => p.onChange({ system: e.target.value })}
        />
      </details>
      <label
        className="field"
        data-testid="prompt-drop"
        onDragOver={(e) => {
          if (!p.onAttachFiles || !e.dataTransfer.types.includes('Files')) return;
          e.preventDefault();
          e.dataTransfer.dropEffect = 'copy';
        }}
        onDrop={(e) => {
          const files = filesOf(e.dataTransfer);
          if (!p.onAttachFiles || files.length === 0) return;
          e.preventDefault();
          p.onAttachFiles(files);
        }}
      >
        <span className="field-label">Prompt</span>
        <textarea
          className="input prompt"
          data-testid="prompt-user"
          rows={8}
          value={p.draft.prompt}
          placeholder={`Ask all selected models at once (${p.shortcut} to send)`}
          onChange={(e) => p.onChange({ prompt: e.target.value })}
          onPaste={(e) => {
            // A pasted screenshot arrives as a file; pasted text stays text.
            const files = filesOf(e.clipboardData);
            if (!p.onAttachFiles || files.length === 0) return;
            e.preventDefault();
            p.onAttachFiles(files);
          }}
        />
      </label>
      {p.attachments}
      <fieldset className="params">
        <legend className="field-label">Parameters</legend>
        {PARAMS.map((f) => (
          <label key={f.key} className="param">
            <span>{f.label}</span>
            <input
              className="input mono"
              type="number"
              inputMode="decimal"
              step={f.step}
              data-testid={f.testId}
              placeholder={f.placeholder}
              value={p.draft[f.key]}
              {...invalid(errId(f.key), errors[f.key])}
              onChange={(e) => p.onChange({ [f.key]: e.target.value })}
            />
            <FieldError id={errId(f.key)} message={errors[f.key]} testId={`${f.testId}-error`} />
          </label>
        ))}
      </fieldset>
      <fieldset className="params">
        <legend className="field-label">Timeouts</legend>
        {TIMEOUTS.map((f) => (
          <label key={f.key} className="param" title={f.title}>
            <span>{f.label}</span>
            <input
              className="input mono"
              type="number"
              inputMode="numeric"
              step="100"
              min="1"
              data-testid={f.testId}
              placeholder="default"
              value={p.draft[f.key]}
              {...invalid(errId(f.key), errors[f.key])}
              onChange={(e) => p.onChange({ [f.key]: e.target.value })}
            />
            <FieldError id={errId(f.key)} message={errors[f.key]} testId={`${f.testId}-error`} />
          </label>
        ))}
      </fieldset>
      <ToolsAndFormat draft={p.draft} errors={errors} errId={errId} onChange={p.onChange} />
      <RoutingControls
        value={p.draft.routing}
        errors={errors}
        open={p.routingOpen ?? false}
        onToggle={(open) => p.onToggleRouting?.(open)}
        onChange={(patch) => p.onChange({ routing: { ...p.draft.routing, ...patch } })}
      />
      {p.preflight}
      {/* Stays in view at the bottom of the sidebar, with what keeps Send from working right above it. */}
      <div className="send-bar">
        {p.sendError && (
          <p className="field-error" role="alert" data-testid="send-error">
            {p.sendError}
          </p>
        )}
        {p.leftOut && p.leftOut.length > 0 && (
          <p className="field-warn" role="status" data-testid="send-left-out">
            Left out of the run: {p.leftOut.join(', ')} (see {p.leftOut.length === 1 ? 'its chip' : 'their chips'})
          </p>
        )}
        {p.blockedReason && (
          <p className="field-error send-blocked" data-testid="send-blocked">
            Blocked: {p.blockedReason}
          </p>
        )}
        <div className="send-row">
          {/* aria-disabled, not disabled: a disabled button drops keyboard focus to the page. */}
          <button
            type="button"
            className="btn btn-primary"
            data-testid="send-button"
            aria-disabled={sendOff || undefined}
            aria-describedby={p.blockedReason ? p.blockedId : undefined}
            onClick={() => !sendOff && p.onSend()}
            title={
              p.blockedReason ? `Blocked: ${p.blockedReason}` : p.running ? 'A run is streaming: stop it (Esc) or let it finish first' : `Send to all models (${p.shortcut})`
            }
          >
            {p.sending ? 'Sending…' : 'Send'} <kbd>{p.shortcut}</kbd>
          </button>
          <button type="button" className="btn" data-testid="stop-all" aria-disabled={!p.running || undefined} onClick={() => p.running && p.onStopAll()} title="Stop every column (Esc)">
            Stop all <kbd>Esc</kbd>
          </button>
        </div>
      </div>
    </div>
  );
}

const TOOLS_PLACEHOLDER = `[{ "name": "get_weather", "description": "Weather for a city",
  "parameters": { "type": "object", "properties": { "city": { "type": "string" } }, "required": ["city"] } }]`;
const SCHEMA_PLACEHOLDER = `{ "type": "object", "properties": { "answer": { "type": "string" } }, "required": ["answer"] }
or { "type": "json_object" } for any JSON object`;

/** "Tools & format": tool definitions and a response schema, each a JSON editor checked as typed, the problem marked on the field. */
function ToolsAndFormat({ draft, errors, errId, onChange }: { draft: Draft; errors: FieldErrors; errId: (k: DraftField) => string; onChange(patch: Partial<Draft>): void }) {
  const set = (draft.tools ?? '').trim() !== '' || (draft.responseFormat ?? '').trim() !== '';
  const [open, setOpen] = useState(set);
  const bad = Boolean(errors.tools || errors.toolChoice || errors.responseFormat);
  return (
    <details className="tools-format" open={open || bad} onToggle={(e) => setOpen(e.currentTarget.open)} data-testid="tools-format">
      <summary>
        Tools &amp; format{!open && set ? <span className="muted"> · set</span> : null}
        {bad && !open ? <span className="field-error"> · needs a fix</span> : null}
      </summary>
      <label className="field">
        <span className="field-label">Tools (JSON array; OpenAI&apos;s shape works too)</span>
        <textarea
          className="input mono"
          data-testid="tools-json"
          rows={5}
          spellCheck={false}
          value={draft.tools ?? ''}
          placeholder={TOOLS_PLACEHOLDER}
          {...invalid(errId('tools'), errors.tools)}
          onChange={(e) => onChange({ tools: e.target.value })}
        />
        <FieldError id={errId('tools')} message={errors.tools} testId="tools-json-error" />
      </label>
      <label className="param">
        <span>tool choice</span>
        <input
          className="input mono"
          data-testid="tool-choice"
          list={`${errId('toolChoice')}-list`}
          placeholder="auto"
          value={draft.toolChoice ?? ''}
          {...invalid(errId('toolChoice'), errors.toolChoice)}
          onChange={(e) => onChange({ toolChoice: e.target.value })}
        />
        <datalist id={`${errId('toolChoice')}-list`}>
          <option value="auto" />
          <option value="none" />
          <option value="required" />
        </datalist>
        <FieldError id={errId('toolChoice')} message={errors.toolChoice} testId="tool-choice-error" />
      </label>
      <label className="field">
        <span className="field-label">Response schema (JSON Schema; each answer is checked against it)</span>
        <textarea
          className="input mono"
          data-testid="response-schema"
          rows={4}
          spellCheck={false}
          value={draft.responseFormat ?? ''}
          placeholder={SCHEMA_PLACEHOLDER}
          {...invalid(errId('responseFormat'), errors.responseFormat)}
          onChange={(e) => onChange({ responseFormat: e.target.value })}
        />
        <FieldError id={errId('responseFormat')} message={errors.responseFormat} testId="response-schema-error" />
      </label>
    </details>
  );
}
