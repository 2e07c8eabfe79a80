import { Show, createSignal, createUniqueId, type JSX } from 'solid-js';
import { Icon } from './Icon.tsx';

/**
 * Something shown once (a token's secret, a share link's address): read-only,
 * selected on focus, with a Copy button and a warning that it will not be
 * shown again.
 */
export function SecretField(props: {
  label: string;
  value: string;
  warning: string;
  testId?: string;
}): JSX.Element {
  let input!: HTMLInputElement;
  const id = `secret-${createUniqueId()}`;
  const [copied, setCopied] = createSignal<'yes' | 'no'>();
  const copy = async () => {
    input.focus();
    input.select();
    try {
      await navigator.clipboard.writeText(props.value);
      setCopied('yes');
    } catch {
      // No clipboard access (an insecure origin, a refused permission): it is selected to copy by hand.
      setCopied('no');
    }
  };
  return (
    <div class="secret">
      <label class="field-label" for={id}>
        {props.label}
      </label>
      <div class="secret-row">
        <input
          ref={input}
          id={id}
          class="text-input mono"
          readOnly
          value={props.value}
          spellcheck={false}
          data-testid={props.testId}
          onFocus={(event) => event.currentTarget.select()}
        />
        <button type="button" class="button" onClick={() => void copy()}>
          <Icon name={copied() === 'yes' ? 'check' : 'copy'} size={18} />
          <span>{copied() === 'yes' ? 'Copied' : 'Copy'}</span>
        </button>
      </div>
      <Show when={copied() === 'no'}>
        <p class="field-hint" role="status">
          The browser did not let the page copy it: it is selected, press Ctrl+C (⌘C) to copy.
        </p>
      </Show>
      <p class="notice warning">
        <Icon name="alert" size={18} />
        <span>{props.warning}</span>
      </p>
    </div>
  );
}
