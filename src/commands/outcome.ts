/**
 * What a command returns to whoever ran it with `vscode.commands.executeCommand` (scripts, tests).
 * The user sees notifications; these values say the same thing in a form code can check.
 */
import type { DraftProblem } from '../core/draft/types';
import type { RowStatus } from '../core/merge/types';

export type CommandOutcome =
  | { readonly status: 'sent'; readonly messageId: string; readonly accepted: readonly string[]; readonly reply: string }
  | { readonly status: 'saved'; readonly path: string; readonly bytes: number; readonly messageId: string }
  /** `fingerprint`: the server certificate's SHA-256 (colon hex); `pinned`: it was written into the profile. */
  | { readonly status: 'tested'; readonly server: string; readonly secure: boolean; readonly mechanism?: string; readonly fingerprint?: string; readonly pinned?: boolean }
  | { readonly status: 'stored' | 'forgotten'; readonly profile: string }
  /** Add SMTP Profile… tested the new profile and saved it (user settings, password in SecretStorage). */
  | { readonly status: 'added'; readonly profile: string }
  /** A new untitled draft was opened (New Email Draft, Reply, Forward); `uri` as a string. */
  | { readonly status: 'drafted'; readonly uri: string }
  /** The draft has errors; they are shown as diagnostics and nothing was sent. */
  | { readonly status: 'invalid'; readonly problems: readonly DraftProblem[] }
  /** The user (or the caller's AbortSignal) stopped it; nothing was sent. */
  | { readonly status: 'cancelled' }
  /** Nothing to act on: no draft open, no profile set up, a profile that needs no password. */
  | { readonly status: 'unavailable'; readonly reason: string }
  | { readonly status: 'failed'; readonly summary: string; readonly advice: string; readonly kind?: string }
  /** Send Mail Merge… ran: every row, or until cancelled between rows or stopped by a quota; counts per row status. */
  | {
      readonly status: 'merged';
      readonly counts: Readonly<Record<RowStatus, number>>;
      readonly cancelled: boolean;
      readonly stoppedByQuota: string | undefined;
      readonly journal: string;
      readonly report: string;
    }
  /** Write Mail Merge as .eml Files: one file per row in `folder`; nothing was sent. */
  | {
      readonly status: 'written';
      readonly folder: string;
      readonly counts: Readonly<Record<RowStatus, number>>;
      readonly cancelled: boolean;
      readonly report: string;
    };
