/**
 * A cancellable progress notification for one SMTP session. Its cancel button (or an
 * AbortSignal passed in by a script) aborts the session through one AbortController; the SMTP
 * client stops cleanly up to the final dot (after it, the message may already be delivered).
 */
import * as vscode from 'vscode';
import { escapeForDisplay } from '../core/escape';
import type { SmtpProfile } from '../core/profiles';
import type { DeliveryStage } from '../core/send';
import { bytesInUnitOf } from '../core/byte-size';

export function stageMessage(stage: DeliveryStage, profile: SmtpProfile): string {
  switch (stage) {
    case 'connecting':
      return vscode.l10n.t('Connecting to {0}…', escapeForDisplay(`${profile.host}:${profile.port}`));
    case 'securing':
      return vscode.l10n.t('Securing the connection…');
    case 'authenticating':
      return vscode.l10n.t('Authenticating as {0}…', escapeForDisplay(profile.username ?? ''));
    case 'sending':
      return vscode.l10n.t('Sending…');
    case 'closing':
      return vscode.l10n.t('Closing the connection…');
  }
}

export function bytesMessage(sent: number, total: number): string {
  const parts = bytesInUnitOf(sent, total);
  return vscode.l10n.t('Sending {0} of {1} {2}…', parts.sent, parts.total, parts.unit);
}

export interface SessionProgress {
  readonly signal: AbortSignal;
  readonly stage: (stage: DeliveryStage) => void;
  readonly bytes: (sent: number, total: number | undefined) => void;
}

/** Runs `task` under a notification titled `title`; `external` also cancels it. */
export async function withSessionProgress<T>(
  title: string,
  profile: SmtpProfile,
  task: (progress: SessionProgress) => Promise<T>,
  external?: AbortSignal,
): Promise<T> {
  return vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title, cancellable: true },
    async (report, token) => {
      const controller = new AbortController();
      const cancel = token.onCancellationRequested(() => controller.abort());
      const onExternal = (): void => controller.abort();
      external?.addEventListener('abort', onExternal, { once: true });
      if (external?.aborted === true) controller.abort();
      let percent = 0;
      let lastReport = 0;
      try {
        return await task({
          signal: controller.signal,
          stage: (stage) => report.report({ message: stageMessage(stage, profile) }),
          bytes: (sent, total) => {
            if (total === undefined || total <= 0) return;
            // Report at most every 100 ms or at the end: a notification update per chunk is wasteful.
            const now = Date.now();
            if (now - lastReport < 100 && sent < total) return;
            lastReport = now;
            const next = Math.min(100, Math.floor((sent / total) * 100));
            report.report({ message: bytesMessage(sent, total), increment: next - percent });
            percent = next;
          },
        });
      } finally {
        cancel.dispose();
        external?.removeEventListener('abort', onExternal);
      }
    },
  );
}
