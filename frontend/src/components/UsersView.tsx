import { For, Show, createUniqueId, type JSX } from 'solid-js';
import type { Role, User } from '../graphql/types.ts';
import { plural } from '../ui/format.ts';
import type { UserList } from '../users/userList.ts';
import { roleLabel } from './AccountMenu.tsx';
import { CreateForm } from './CreateForm.tsx';
import { DataTable } from './DataTable.tsx';
import { DateCell } from './DateCell.tsx';
import { Field, FormError, NewPasswordField, textOf } from './Field.tsx';
import { Icon } from './Icon.tsx';
import { ListStates, LoadMore } from './ListState.tsx';
import { ViewTitle } from './ViewTitle.tsx';

function RoleSelect(props: {
  label: string;
  value: Role;
  disabled: boolean;
  onChange: (role: Role) => void;
}): JSX.Element {
  return (
    <select
      class="select"
      aria-label={props.label}
      value={props.value}
      disabled={props.disabled}
      onChange={(event) => {
        // The row shows the role the API answers with, not the one picked: it may be refused.
        const picked = event.currentTarget.value as Role;
        event.currentTarget.value = props.value;
        props.onChange(picked);
      }}
    >
      <option value="MEMBER">{roleLabel.MEMBER}</option>
      <option value="ADMIN">{roleLabel.ADMIN}</option>
    </select>
  );
}

function UserRow(props: { user: User; me: boolean; list: UserList }): JSX.Element {
  const who = () => props.user.name || props.user.email;
  return (
    <tr class="user-row" classList={{ disabled: props.user.disabled }}>
      <td class="cell-text">
        <span class="user-email">{props.user.email}</span>
        <Show when={props.me}>
          <span class="tag">you</span>
        </Show>
      </td>
      <td class="cell-text">{props.user.name ?? ''}</td>
      <td>
        <RoleSelect
          label={`Role of ${who()}`}
          value={props.user.role}
          disabled={props.list.busy()}
          onChange={(role) => void props.list.setRole(props.user, role)}
        />
      </td>
      <DateCell iso={props.user.createdAt} none="—" />
      <td>{props.user.disabled ? 'Disabled' : 'Active'}</td>
      <td class="cell-button">
        <button
          type="button"
          class="button"
          classList={{ danger: !props.user.disabled }}
          disabled={props.list.busy()}
          aria-label={`${props.user.disabled ? 'Enable' : 'Disable'} ${who()}`}
          onClick={() => void props.list.setDisabled(props.user, !props.user.disabled)}
        >
          {props.user.disabled ? 'Enable' : 'Disable'}
        </button>
      </td>
    </tr>
  );
}

/** Every account (admins only): make one, change roles, disable or enable. */
export function UsersView(props: { users: UserList; meId: string }): JSX.Element {
  const roleId = `new-role-${createUniqueId()}`;
  const list = () => props.users;
  const count = () => {
    if (list().state() === 'loading') return 'Loading the users…';
    if (list().state() === 'error') return 'Not loaded';
    return plural(list().totalCount() ?? list().items().length, 'user');
  };
  return (
    <main class="main page-view">
      <div class="listbar">
        <ViewTitle icon="users" title="Users" />
        <p class="count" aria-live="polite" data-testid="users-count">
          {count()}
        </p>
      </div>

      <CreateForm
        label="New user"
        onSubmit={(data) =>
          list().create({
            email: textOf(data, 'email'),
            password: textOf(data, 'password'),
            name: textOf(data, 'name'),
            role: textOf(data, 'role') === 'ADMIN' ? 'ADMIN' : 'MEMBER',
          })
        }
      >
        <Field label="Email" name="email" type="email" required />
        <NewPasswordField label="Password" name="password" />
        <Field label="Name (optional)" name="name" />
        <div class="field">
          <label class="field-label" for={roleId}>
            Role
          </label>
          <select id={roleId} class="select" name="role">
            <option value="MEMBER">{roleLabel.MEMBER}</option>
            <option value="ADMIN">{roleLabel.ADMIN}</option>
          </select>
        </div>
        <button type="submit" class="button primary" disabled={list().busy()}>
          <Icon name="user" size={18} /> Create user
        </button>
      </CreateForm>
      <FormError message={list().refusal()} inline />

      <ListStates
        list={list()}
        icon="users"
        loadingTitle="Loading the users…"
        errorTitle="The users could not be loaded"
        more="More users"
      >
        <div class="table-scroller">
          <DataTable
            label="Users"
            head={
              <>
                <th>Email</th>
                <th>Name</th>
                <th>Role</th>
                <th class="cell-date">Created</th>
                <th>Status</th>
              </>
            }
          >
            <For each={list().items()}>
              {(user) => <UserRow user={user} me={user.id === props.meId} list={list()} />}
            </For>
          </DataTable>
          <LoadMore list={list()} />
        </div>
      </ListStates>
    </main>
  );
}
