import { onMount, type JSX } from 'solid-js';

/**
 * Inline name editor: Enter saves, Escape cancels, leaving the field saves.
 * The part before the extension is selected, as file managers do.
 */
export function RenameField(props: {
  value: string;
  label: string;
  onDone: (value: string | undefined) => void;
}): JSX.Element {
  let input!: HTMLInputElement;
  let done = false;
  const finish = (value: string | undefined) => {
    if (done) return;
    done = true;
    props.onDone(value === props.value ? undefined : value);
  };
  onMount(() => {
    input.focus();
    const dot = props.value.lastIndexOf('.');
    input.setSelectionRange(0, dot > 0 ? dot : props.value.length);
  });
  return (
    <input
      ref={input}
      class="rename-field"
      value={props.value}
      aria-label={props.label}
      spellcheck={false}
      onKeyDown={(event) => {
        event.stopPropagation();
        if (event.key === 'Enter') finish(event.currentTarget.value);
        else if (event.key === 'Escape') finish(undefined);
      }}
      onBlur={(event) => finish(event.currentTarget.value)}
      onClick={(event) => event.stopPropagation()}
    />
  );
}
