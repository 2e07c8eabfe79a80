/**
 * The shapes the UI reads from the API, named as the UI uses them. Each is
 * what an operation in operations.graphql selects (generated.ts, from the
 * schema by scripts/codegen.ts), so a schema change that breaks the UI fails
 * `npm run check`.
 */
import type {
  CheckFieldsFragment,
  CreateTokenMutation,
  FileFieldsFragment,
  FilePageFragment,
  FoldersQuery,
  HealthQuery,
  ShareLinkFieldsFragment,
  TokenFieldsFragment,
  UploadLimitsQuery,
  UserFieldsFragment,
  UsersQuery,
} from './generated.ts';

import type { FileOrder as FileOrderInput } from './generated.ts';

export type { FileOrderField, OrderDirection, Role } from './generated.ts';

/** How a list is sorted: both parts always set in the UI. */
export type FileOrder = Required<FileOrderInput>;

/** One page of a list, with the cursor to the next (a Relay cursor connection). */
export type Connection<T> = Omit<FilePageFragment, 'nodes'> & { readonly nodes: T[] };

export type FileNode = FileFieldsFragment;
export type FileConnection = FilePageFragment;
export type Folder = FoldersQuery['folders'][number];
export type UploadLimits = UploadLimitsQuery['uploadLimits'];

export type Health = HealthQuery['health'];
export type HealthStatus = Health['status'];
export type Check = CheckFieldsFragment;
export type ServiceHealth = Health['services'][number];

export type User = UserFieldsFragment;
export type UserConnection = UsersQuery['users'];
/** An API token for scripts, without its secret. */
export type ApiToken = TokenFieldsFragment;
/** A new token: its secret (fg_…) is shown once, when it is made. */
export type NewApiToken = CreateTokenMutation['createToken'];
/** A link anyone who has it can download one file with. */
export type ShareLink = ShareLinkFieldsFragment;
