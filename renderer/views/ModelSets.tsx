import { useState } from 'react';
import { useApp } from '../store';

/** Named model sets, stored by the engine (settings), not in the renderer. */
export function ModelSets() {
  const sets = useApp((s) => s.settings?.modelSets ?? null);
  const targets = useApp((s) => s.draft.targets);
  const setDraft = useApp((s) => s.setDraft);
  const saveModelSet = useApp((s) => s.saveModelSet);
  const deleteModelSet = useApp((s) => s.deleteModelSet);
  const [selected, setSelected] = useState('');
  const [name, setName] = useState('');
  const [error, setError] = useState<string | null>(null);

  const save = async (): Promise<void> => {
    const n = name.trim() || selected;
    if (!n) {
      setError('name the set first');
      return;
    }
    if (targets.length === 0) {
      setError('pick models to save');
      return;
    }
    const err = await saveModelSet(n, targets);
    setError(err);
    if (!err) {
      setSelected(n);
      setName('');
    }
  };

  return (
    <div className="model-sets">
      <select
        className="input"
        data-testid="model-set-select"
        aria-label="Load a model set"
        value={selected}
        onChange={(e) => {
          const set = sets?.find((s) => s.name === e.target.value);
          setSelected(e.target.value);
          if (set) setDraft({ targets: [...set.targets] });
        }}
      >
        <option value="">{sets && sets.length ? 'Load model set…' : 'No saved sets'}</option>
        {sets?.map((s) => (
          <option key={s.name} value={s.name}>
            {s.name} ({s.targets.length})
          </option>
        ))}
      </select>
      <input
        className="input"
        data-testid="model-set-name"
        aria-label="Model set name"
        placeholder={selected ? `save as ${selected}` : 'set name'}
        value={name}
        onChange={(e) => {
          setName(e.target.value);
          setError(null);
        }}
        onKeyDown={(e) => {
          if (e.key === 'Enter') {
            e.preventDefault();
            void save();
          }
        }}
      />
      <button type="button" className="btn btn-small" data-testid="model-set-save" onClick={() => void save()}>
        Save
      </button>
      <button
        type="button"
        className="btn btn-small"
        data-testid="model-set-delete"
        disabled={!selected}
        onClick={() => {
          void deleteModelSet(selected);
          setSelected('');
        }}
      >
        Delete
      </button>
      {error && (
        <p className="field-error" role="alert">
          {error}
        </p>
      )}
    </div>
  );
}
