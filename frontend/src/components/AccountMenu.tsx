import { Show, createSignal, createUniqueId, onCleanup, type JSX } from 'solid-js';
import type { User } from '../graphql/types.ts';
import { Icon } from './Icon.tsx';

export const roleLabel = { ADMIN: 'Admin', MEMBER: 'Member' } as const;

/** Who is signed in, and the account's pages and actions, behind one button in the top bar. */
export function AccountMenu(props: {
  user: User;
  tokensHref: string;
  usersHref: string;
  usageHref: string;
  onChangePassword: () => void;
  onSignOut: () => void;
}): JSX.Element {
  const [open, setOpen] = createSignal(false);
  const menuId = `account-menu-${createUniqueId()}`;
  let root!: HTMLDivElement;
  let toggle!: HTMLButtonElement;
  const who = () => props.user.name || props.user.email;
  const close = (refocus: boolean) => {
    setOpen(false);
    if (refocus) toggle.focus();
  };
  const onOutside = (event: MouseEvent) => {
    if (open() && !root.contains(event.target as Node)) setOpen(false);
  };
  document.addEventListener('click', onOutside);
  onCleanup(() => document.removeEventListener('click', onOutside));

  return (
    <div
      ref={root}
      class="account-menu"
      onKeyDown={(event) => {
        if (event.key === 'Escape' && open()) {
          event.stopPropagation();
          close(true);
        }
      }}
      onFocusOut={(event) => {
        const next = event.relatedTarget;
        if (open() && next instanceof Node && !root.contains(next)) setOpen(false);
      }}
    >
      <button
        ref={toggle}
        type="button"
        class="button"
        aria-expanded={open()}
        aria-controls={menuId}
        aria-label={`Account: ${who()}`}
        title={`Signed in as ${props.user.email}`}
        onClick={() => setOpen(!open())}
      >
        <Icon name="user" size={18} />
        <span class="label-wide account-name">{who()}</span>
      </button>
      <Show when={open()}>
        <div id={menuId} class="menu">
          <div class="menu-who">
            <strong>{who()}</strong>
            <span class="muted" data-testid="account-role">
              <Show when={props.user.name}>{props.user.email} · </Show>
              {roleLabel[props.user.role]}
            </span>
          </div>
          <a class="menu-item" href={props.tokensHref} onClick={() => close(false)}>
            <Icon name="key" size={18} /> API tokens
          </a>
          <Show when={props.user.role === 'ADMIN'}>
            <a class="menu-item" href={props.usersHref} onClick={() => close(false)}>
              <Icon name="users" size={18} /> Users
            </a>
            <a class="menu-item" href={props.usageHref} onClick={() => close(false)}>
              <Icon name="layers" size={18} /> Usage
            </a>
          </Show>
          <button
            type="button"
            class="menu-item"
            onClick={() => {
              close(false);
              props.onChangePassword();
            }}
          >
            <Icon name="lock" size={18} /> Change password
          </button>
          <button
            type="button"
            class="menu-item"
            onClick={() => {
              close(false);
              props.onSignOut();
            }}
          >
            <Icon name="signout" size={18} /> Sign out
          </button>
        </div>
      </Show>
    </div>
  );
}
