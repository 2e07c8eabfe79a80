import type { JSX } from 'solid-js';
import { formatDate, formatFullDate } from '../ui/format.ts';

/** A date in a table cell, in full on hover; `none` when there is none. */
export function DateCell(props: { iso: string | null; none: string }): JSX.Element {
  return (
    <td class="cell-date" title={props.iso ? formatFullDate(props.iso) : undefined}>
      {props.iso ? formatDate(props.iso) : props.none}
    </td>
  );
}
