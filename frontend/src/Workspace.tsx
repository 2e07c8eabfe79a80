import { Show, createMemo, createSignal, untrack, type JSX } from 'solid-js';
import type { Client } from '@urql/core';
import type { Session } from './accounts/session.ts';
import { createFileCommands } from './files/fileCommands.ts';
import { createListing } from './files/listing.ts';
import type { FileNode, User } from './graphql/types.ts';
import { createSystemHealth } from './health/systemHealth.ts';
import { createRouter } from './routing/router.ts';
import { folderHref, hrefOf } from './routing/routes.ts';
import { createShareLinks } from './shares/shareLinks.ts';
import { createTokenList } from './tokens/tokenList.ts';
import { createTrashList } from './trash/trashList.ts';
import { onGlobalKeys } from './ui/globalKeys.ts';
import { createNotices } from './ui/notices.ts';
import { createPanels } from './ui/panels.ts';
import { createSelection } from './ui/selection.ts';
import { createUploadCommands } from './uploads/uploadCommands.ts';
import { createUserList } from './users/userList.ts';
import { createUsageSummary } from './usage/usageSummary.ts';
import { AccountMenu } from './components/AccountMenu.tsx';
import { ChangePasswordDialog } from './components/ChangePasswordDialog.tsx';
import { DropZone } from './components/DropZone.tsx';
import { FileDialogs } from './components/FileDialogs.tsx';
import { FilePickers, type FilePickerControls } from './components/FilePickers.tsx';
import { FilesView } from './components/FilesView.tsx';
import { Notices } from './components/Notices.tsx';
import { AdminsOnly } from './components/ListState.tsx';
import { PreviewPanel } from './components/PreviewPanel.tsx';
import { ShareDialog } from './components/ShareDialog.tsx';
import { SystemPanel } from './components/SystemPanel.tsx';
import { TopBar } from './components/TopBar.tsx';
import { TokensView } from './components/TokensView.tsx';
import { TrashView } from './components/TrashView.tsx';
import { UploadPanel } from './components/UploadPanel.tsx';
import { UsersView } from './components/UsersView.tsx';
import { UsageView } from './components/UsageView.tsx';

/**
 * The UI of someone signed in: the stores and commands, wired to the views and
 * panels that show them. It lives while the session does.
 */
export function Workspace(props: { client: Client; session: Session; user: User }): JSX.Element {
  // One client and one session for the page's life: read once, as App made them.
  const client = untrack(() => props.client);
  const session = untrack(() => props.session);
  const notices = createNotices();
  const notify = notices.notify;
  const panels = createPanels();
  const router = createRouter({ onNavigate: () => panels.closePreview() });
  const listing = createListing(client, router.prefix);
  const selection = createSelection(listing.query);
  const commands = createFileCommands(client, { listing, selection, panels, notify });
  const uploads = createUploadCommands(client, { listing, panels, notify });
  const health = createSystemHealth(client, panels.systemOpen);
  // Loaded afresh each time the trash is opened, and let go when it is left.
  const trash = createMemo(() => (router.view() === 'trash' ? createTrashList(client) : undefined));
  const tokens = createMemo(() =>
    router.view() === 'tokens' ? createTokenList(client, { notify }) : undefined,
  );
  const isAdmin = () => props.user.role === 'ADMIN';
  const users = createMemo(() =>
    router.view() === 'users' && isAdmin() ? createUserList(client, { notify }) : undefined,
  );
  // Asked afresh each time the page opens: the server answers from its cache.
  const usage = createMemo(() =>
    router.view() === 'usage' && isAdmin() ? createUsageSummary(client) : undefined,
  );
  const [sharing, setSharing] = createSignal<FileNode>();
  const shares = createMemo(() => {
    const file = sharing();
    return file ? createShareLinks(client, file, { notify }) : undefined;
  });
  const [changingPassword, setChangingPassword] = createSignal(false);
  const signOut = async () => {
    const outcome = await session.signOut();
    if (!outcome.ok) notify('error', `Could not sign out: ${outcome.problem.message}`);
  };
  const toFiles = () => ({ view: 'files', prefix: router.prefix() }) as const;
  let pickers!: FilePickerControls;
  let searchInput: HTMLInputElement | undefined;
  onGlobalKeys({
    onSlash: () => searchInput?.focus(),
    onEscape: () => {
      if (panels.open()) panels.close();
    },
  });

  return (
    <div class="app" classList={{ 'panel-open': panels.open() }}>
      <TopBar
        homeHref={folderHref('')}
        searchText={listing.searchText()}
        searchRef={(element) => (searchInput = element)}
        onSearchInput={(text) => {
          // A search lists files: from another view, it goes back to them.
          if (router.view() !== 'files') router.go(toFiles());
          listing.typeSearch(text);
        }}
        onSearchClear={() => listing.clearSearch()}
        onUpload={() => pickers.pickFiles()}
        onUploadFolder={() => pickers.pickFolder()}
        trashHref={hrefOf({ view: 'trash' })}
        trashOpen={router.view() === 'trash'}
        systemOpen={panels.systemOpen()}
        onToggleSystem={() => panels.toggleSystem()}
        account={
          <AccountMenu
            user={props.user}
            tokensHref={hrefOf({ view: 'tokens' })}
            usersHref={hrefOf({ view: 'users' })}
            usageHref={hrefOf({ view: 'usage' })}
            onChangePassword={() => setChangingPassword(true)}
            onSignOut={() => void signOut()}
          />
        }
      />
      <FilePickers
        ref={(controls) => (pickers = controls)}
        onPicked={(files) => uploads.add(files, router.prefix())}
        onReplacement={(target, file) => uploads.replace(target, file)}
      />

      <FilesView
        hidden={router.view() !== 'files'}
        listing={listing}
        selection={selection}
        commands={commands}
        onOpenFile={(file) => panels.openPreview(file)}
        onOpenFolder={(path) => router.go({ view: 'files', prefix: path })}
        onUpload={() => pickers.pickFiles()}
        onReplace={(file) => pickers.pickReplacement(file)}
        onShare={(file) => setSharing(file)}
      />
      <Show when={trash()}>
        {(trashList) => (
          <TrashView
            trash={trashList()}
            filesHref={hrefOf(toFiles())}
            notify={notify}
            onRestored={() => listing.reload()}
          />
        )}
      </Show>
      <Show when={tokens()}>{(tokenList) => <TokensView tokens={tokenList()} />}</Show>
      <Show when={users()}>
        {(userList) => <UsersView users={userList()} meId={props.user.id} />}
      </Show>
      <Show when={usage()}>{(summary) => <UsageView usage={summary()} />}</Show>
      <Show when={router.view() === 'usage' && !isAdmin()}>
        <AdminsOnly
          icon="layers"
          title="Only admins see the usage report"
          back={hrefOf(toFiles())}
        />
      </Show>
      <Show when={router.view() === 'users' && !isAdmin()}>
        <AdminsOnly icon="users" title="Only admins see the users" back={hrefOf(toFiles())} />
      </Show>

      <Show when={panels.preview()}>
        {(file) => (
          <PreviewPanel
            file={file()}
            onClose={() => panels.close()}
            onRename={(target) => {
              panels.closePreview();
              listing.setRenamingId(target.id);
            }}
            onReplace={(target) => pickers.pickReplacement(target)}
            onShare={(target) => setSharing(target)}
            onDelete={(target) => commands.askDelete([target])}
          />
        )}
      </Show>
      <Show when={panels.systemOpen()}>
        <SystemPanel health={health} onClose={() => panels.close()} />
      </Show>

      <UploadPanel queue={uploads.queue} />
      <DropZone
        folder={router.prefix()}
        onFiles={(files, folder) => uploads.add(files, folder)}
        onError={(message) => notify('error', message)}
      />
      <FileDialogs commands={commands} />
      <Show when={shares()}>
        {(shareLinks) => (
          <ShareDialog shares={shareLinks()} onClose={() => setSharing(undefined)} />
        )}
      </Show>
      <Show when={changingPassword()}>
        <ChangePasswordDialog
          onChange={(current, next) => session.changePassword(current, next)}
          onDone={() => {
            setChangingPassword(false);
            notify('success', 'Your password is changed; your other sessions have ended.');
          }}
          onClose={() => setChangingPassword(false)}
        />
      </Show>
      <Notices notices={notices.list()} onDismiss={(id) => notices.dismiss(id)} />
    </div>
  );
}
