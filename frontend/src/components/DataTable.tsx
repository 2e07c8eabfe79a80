import type { JSX } from 'solid-js';

/** A table of records: the header cells (`head`), then each row (`children`) ends in its buttons. */
export function DataTable(props: {
  label: string;
  compact?: boolean;
  head: JSX.Element;
  children: JSX.Element;
}): JSX.Element {
  return (
    <table class="data-table" classList={{ compact: props.compact }} aria-label={props.label}>
      <thead>
        <tr>
          {props.head}
          <th class="cell-button">
            <span class="visually-hidden">Actions</span>
          </th>
        </tr>
      </thead>
      <tbody>{props.children}</tbody>
    </table>
  );
}

/** The last cell of a row: a button that revokes what the row shows. */
export function RevokeCell(props: {
  label: string;
  busy: boolean;
  onRevoke: () => void;
}): JSX.Element {
  return (
    <td class="cell-button">
      <button
        type="button"
        class="button danger"
        disabled={props.busy}
        aria-label={props.label}
        onClick={() => props.onRevoke()}
      >
        Revoke
      </button>
    </td>
  );
}
