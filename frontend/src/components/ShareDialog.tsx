import { For, Match, Show, Switch, type JSX } from 'solid-js';
import { baseName } from '../files/names.ts';
import type { ShareLinks } from '../shares/shareLinks.ts';
import { formatFullDate } from '../ui/format.ts';
import { CreateForm } from './CreateForm.tsx';
import { DataTable, RevokeCell } from './DataTable.tsx';
import { DateCell } from './DateCell.tsx';
import { Field, FormError, textOf } from './Field.tsx';
import { FormDialog } from './FormDialog.tsx';
import { Icon } from './Icon.tsx';
import { SecretField } from './SecretField.tsx';

/** Links to one file for people without an account: make one (its address shows once), list, revoke. */
export function ShareDialog(props: { shares: ShareLinks; onClose: () => void }): JSX.Element {
  const shares = () => props.shares;
  const name = () => baseName(props.shares.file.name);
  return (
    <FormDialog title={`Share ${name()}`} onClose={() => props.onClose()}>
      <CreateForm
        label="New share link"
        inDialog
        onSubmit={(data) => {
          const hours = textOf(data, 'hours').trim();
          return shares().create(
            hours === '' ? undefined : Number(hours),
            textOf(data, 'password'),
          );
        }}
      >
        <p class="muted">Anyone with the link can download this file, without an account.</p>
        <Field
          label="Expires in hours (optional)"
          name="hours"
          type="number"
          min={1}
          hint="Empty: it never expires."
        />
        <Field
          label="Password (optional)"
          name="password"
          type="password"
          autocomplete="new-password"
          hint="Whoever opens the link is asked for it."
        />
        <FormError message={shares().refusal()} />
        <div class="dialog-actions">
          <button type="submit" class="button primary" disabled={shares().busy()}>
            <Icon name="share" size={18} /> Create link
          </button>
        </div>
      </CreateForm>

      <Show when={shares().created()}>
        {(created) => (
          <SecretField
            label="Address of the new link"
            value={created().address}
            warning="This address is shown only now: copy it and send it. Later the link is listed below without it."
            testId="share-address"
          />
        )}
      </Show>

      <h3 class="dialog-subtitle">Links to this file</h3>
      <Switch>
        <Match when={shares().state() === 'loading'}>
          <p class="muted">Loading…</p>
        </Match>
        <Match when={shares().state() === 'error' && shares().problem()}>
          {(problem) => (
            <p class="notice error" role="alert">
              <span>The links could not be loaded: {problem().message}</span>
              <button type="button" class="text-button" onClick={() => shares().reload()}>
                Try again
              </button>
            </p>
          )}
        </Match>
        <Match when={shares().state() === 'empty'}>
          <p class="muted">None yet.</p>
        </Match>
        <Match when={shares().state() === 'ready'}>
          <DataTable
            label="Links to this file"
            compact
            head={
              <>
                <th class="cell-date">Created</th>
                <th class="cell-date">Expires</th>
                <th>Password</th>
              </>
            }
          >
            <For each={shares().items()}>
              {(link) => (
                <tr class="share-row">
                  <DateCell iso={link.createdAt} none="—" />
                  <DateCell iso={link.expiresAt} none="Never" />
                  <td>{link.hasPassword ? 'Yes' : 'No'}</td>
                  <RevokeCell
                    label={`Revoke the link made ${formatFullDate(link.createdAt)}`}
                    busy={shares().busy()}
                    onRevoke={() => void shares().revoke(link)}
                  />
                </tr>
              )}
            </For>
          </DataTable>
        </Match>
      </Switch>
    </FormDialog>
  );
}
