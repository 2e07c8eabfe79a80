import { For, Show, type JSX } from 'solid-js';
import { tokenDays, type TokenList } from '../tokens/tokenList.ts';
import { CreateForm } from './CreateForm.tsx';
import { ConfirmDialog } from './ConfirmDialog.tsx';
import { DataTable, RevokeCell } from './DataTable.tsx';
import { DateCell } from './DateCell.tsx';
import { Field, FormError, textOf } from './Field.tsx';
import { Icon } from './Icon.tsx';
import { ListMessage, ListStates } from './ListState.tsx';
import { SecretField } from './SecretField.tsx';
import { ViewTitle } from './ViewTitle.tsx';

/** Your API tokens for scripts: make one (its secret shows once), see when each was used, revoke. */
export function TokensView(props: { tokens: TokenList }): JSX.Element {
  const tokens = () => props.tokens;
  return (
    <main class="main page-view">
      <div class="listbar">
        <ViewTitle icon="key" title="API tokens" />
        <p class="count">
          Scripts send one as <code>Authorization: Bearer …</code> to act as you.
        </p>
      </div>

      <CreateForm
        label="New API token"
        onSubmit={(data) => {
          const days = textOf(data, 'days').trim();
          return tokens().create(textOf(data, 'name'), days === '' ? undefined : Number(days));
        }}
      >
        <Field label="Name" name="name" required placeholder="e.g. backup script" />
        <Field
          label="Expires in days (optional)"
          name="days"
          type="number"
          min={tokenDays.min}
          max={tokenDays.max}
          hint="Empty: it never expires."
        />
        <button type="submit" class="button primary" disabled={tokens().busy()}>
          <Icon name="key" size={18} /> Create token
        </button>
      </CreateForm>
      <FormError message={tokens().refusal()} inline />
      <Show when={tokens().created()}>
        {(created) => (
          <section class="card" aria-label="The new token">
            <SecretField
              label={`Secret of the token ${created().info.name}`}
              value={created().token}
              warning="This is the only time the secret is shown: copy it now and keep it somewhere safe. If it is lost, revoke the token and create another."
              testId="token-secret"
            />
            <div class="dialog-actions">
              <button type="button" class="button" onClick={() => tokens().dismissCreated()}>
                I have copied it
              </button>
            </div>
          </section>
        )}
      </Show>

      <ListStates
        list={tokens()}
        icon="key"
        loadingTitle="Loading your tokens…"
        errorTitle="Your tokens could not be loaded"
        empty={
          <ListMessage icon="key" title="No API tokens yet">
            <p>Create one above for each script or machine, so each can be revoked alone.</p>
          </ListMessage>
        }
      >
        <div class="table-scroller">
          <DataTable
            label="Your API tokens"
            head={
              <>
                <th>Name</th>
                <th class="cell-date">Created</th>
                <th class="cell-date">Expires</th>
                <th class="cell-date">Last used</th>
              </>
            }
          >
            <For each={tokens().items()}>
              {(token) => (
                <tr class="token-row">
                  <td class="cell-text">{token.name}</td>
                  <DateCell iso={token.createdAt} none="—" />
                  <DateCell iso={token.expiresAt} none="Never" />
                  <DateCell iso={token.lastUsedAt} none="Never" />
                  <RevokeCell
                    label={`Revoke ${token.name}`}
                    busy={tokens().busy()}
                    onRevoke={() => tokens().askRevoke(token)}
                  />
                </tr>
              )}
            </For>
          </DataTable>
        </div>
      </ListStates>

      <ConfirmDialog
        open={Boolean(tokens().pendingRevoke())}
        title={`Revoke ${tokens().pendingRevoke()?.name ?? 'the token'}?`}
        message="Scripts that use it are refused from now on. This cannot be undone."
        confirmLabel="Revoke"
        onCancel={() => tokens().cancelRevoke()}
        onConfirm={() => void tokens().confirmRevoke()}
      />
    </main>
  );
}
