/**
 * Copy buttons on rendered code blocks. The buttons are made as DOM nodes
 * (answer HTML may not contain buttons: the sanitiser drops them) and carry no
 * listener: the reply's root handles their clicks (`onCodeCopyClick`), so a
 * long answer with many blocks adds no handler per block.
 */
import { copyText } from './clipboard';

const COPY_LABEL = 'Copy';
const FEEDBACK_MS = 1500;
const withButton = new WeakSet<Element>();
const resets = new WeakMap<HTMLElement, ReturnType<typeof setTimeout>>();

/** Adds a copy button to every settled code block under `root` that has none. */
export function addCopyButtons(root: ParentNode): void {
  // The parsed tail is replaced at every parse: its block gets a button once it settles.
  for (const pre of root.querySelectorAll('.md-chunk:not(.md-chunk--tail) pre')) {
    if (withButton.has(pre) || !pre.querySelector(':scope > code')) continue;
    withButton.add(pre);
    const button = document.createElement('button');
    button.type = 'button';
    button.className = 'md-copy';
    button.textContent = COPY_LABEL;
    button.setAttribute('aria-label', 'Copy code');
    // Said to screen readers when the label turns to "Copied".
    button.setAttribute('aria-live', 'polite');
    pre.prepend(button);
  }
}

function feedback(button: HTMLElement, label: string): void {
  button.textContent = label;
  clearTimeout(resets.get(button));
  resets.set(
    button,
    setTimeout(() => {
      button.textContent = COPY_LABEL;
      resets.delete(button);
    }, FEEDBACK_MS),
  );
}

/**
 * Handles a click anywhere in a reply: on a copy button, copies its block's
 * code as text (what the model wrote, without the highlighting markup).
 * Returns whether the click was a copy.
 */
export function onCodeCopyClick(target: EventTarget | null): boolean {
  if (!(target instanceof Element)) return false;
  const button = target.closest<HTMLElement>('button.md-copy');
  const code = button?.parentElement?.querySelector(':scope > code');
  if (!button || !code) return false;
  copyText(code.textContent ?? '').then(
    () => feedback(button, 'Copied'),
    () => feedback(button, 'Copy failed'),
  );
  return true;
}
