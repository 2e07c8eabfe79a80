import type { JSX } from 'solid-js';
import { Icon, type IconName } from './Icon.tsx';

/** The heading of a view in the main area (the trash, tokens, users). */
export function ViewTitle(props: { icon: IconName; title: string }): JSX.Element {
  return (
    <h1 class="view-title">
      <Icon name={props.icon} size={20} />
      <span>{props.title}</span>
    </h1>
  );
}
