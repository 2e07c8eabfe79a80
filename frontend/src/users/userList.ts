import type { Accessor } from 'solid-js';
import type { AnyVariables, Client, TypedDocumentNode } from '@urql/core';
import {
  CreateUserDocument,
  DisableUserDocument,
  EnableUserDocument,
  SetRoleDocument,
  UsersDocument,
} from '../graphql/generated.ts';
import { createPagedList, type PagedList } from '../graphql/pagedList.ts';
import { request } from '../graphql/request.ts';
import type { Role, User } from '../graphql/types.ts';
import type { Notify } from '../ui/notices.ts';
import { createSubmission } from '../ui/submission.ts';

export interface NewUserInput {
  readonly email: string;
  readonly password: string;
  readonly name: string;
  readonly role: Role;
}

/**
 * Every account (admins only), in email order, a page at a time, with what
 * an admin does to them: make one, change a role, disable or enable. Each
 * change puts the user the API answers in place; refusals become notices.
 */
export interface UserList extends PagedList<User> {
  /** A change is on its way. */
  readonly busy: Accessor<boolean>;
  /** Why the last create was refused (the form shows it). */
  readonly refusal: Accessor<string | undefined>;
  create(input: NewUserInput): Promise<boolean>;
  setRole(user: User, role: Role): Promise<void>;
  setDisabled(user: User, disabled: boolean): Promise<void>;
}

const who = (user: User) => user.name || user.email;
/** The order the API lists users in. */
const byEmail = (a: User, b: User) => a.email.localeCompare(b.email);

export function createUserList(client: Client, deps: { notify: Notify; page?: number }): UserList {
  const { notify } = deps;
  const page = deps.page ?? 50;
  const list = createPagedList<User>({
    fetchPage: (after) => request(client, 'query', UsersDocument, { first: page, after }, 'users'),
    key: (user) => user.id,
  });
  const form = createSubmission();

  async function change<Field extends string, Variables extends AnyVariables>(
    user: User,
    document: TypedDocumentNode<Record<Field, User>, Variables>,
    variables: Variables,
    field: Field,
    said: (changed: User) => string,
  ): Promise<void> {
    const outcome = await form.run(() => request(client, 'mutation', document, variables, field));
    if (!outcome.ok) {
      notify('error', `Nothing changed for ${who(user)}: ${outcome.problem.message}`);
      return;
    }
    list.put(outcome.value);
    notify('success', said(outcome.value));
  }

  return {
    ...list,
    busy: form.busy,
    refusal: form.refusal,
    async create(input) {
      const outcome = await form.send(() =>
        request(
          client,
          'mutation',
          CreateUserDocument,
          {
            email: input.email.trim(),
            password: input.password,
            name: input.name.trim() || null,
            role: input.role,
          },
          'createUser',
        ),
      );
      if (!outcome?.ok) return false;
      const user = outcome.value;
      list.add(user, byEmail);
      notify('success', `Made an account for ${user.email} (${user.role.toLowerCase()}).`);
      return true;
    },
    setRole: (user, role) =>
      change(
        user,
        SetRoleDocument,
        { id: user.id, role },
        'setRole',
        (changed) =>
          `${who(changed)} is ${changed.role === 'ADMIN' ? 'an admin' : 'a member'} now.`,
      ),
    setDisabled: (user, disabled) =>
      disabled
        ? change(
            user,
            DisableUserDocument,
            { id: user.id },
            'disableUser',
            (changed) => `Disabled ${who(changed)}: they are signed out and their tokens revoked.`,
          )
        : change(
            user,
            EnableUserDocument,
            { id: user.id },
            'enableUser',
            (changed) => `Enabled ${who(changed)}: they can sign in again.`,
          ),
  };
}
