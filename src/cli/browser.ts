/**
 * Opens a URL in the user's browser where one is plainly available, and never fails: the URL is
 * printed anyway. Linux and BSD: `xdg-open` when it is on PATH and a display is set (DISPLAY or
 * WAYLAND_DISPLAY); macOS: `open`. Elsewhere, and on a server over SSH, nothing is started.
 */
import { constants } from 'node:fs';
import { access } from 'node:fs/promises';
import { delimiter, join } from 'node:path';
import { nodeChildProcess } from '../core/lazy';

async function onPath(program: string, env: NodeJS.ProcessEnv): Promise<boolean> {
  for (const folder of (env['PATH'] ?? '').split(delimiter)) {
    if (folder === '') continue;
    try {
      await access(join(folder, program), constants.X_OK);
      return true;
    } catch {
      // not here
    }
  }
  return false;
}

async function opener(env: NodeJS.ProcessEnv): Promise<string | undefined> {
  if (process.platform === 'darwin') return 'open';
  if (process.platform === 'win32') return undefined;
  const display = (env['DISPLAY'] ?? '') !== '' || (env['WAYLAND_DISPLAY'] ?? '') !== '';
  return display && (await onPath('xdg-open', env)) ? 'xdg-open' : undefined;
}

/** True when a browser was started (not that it showed the page). */
export async function openBrowser(url: string, env: NodeJS.ProcessEnv = process.env): Promise<boolean> {
  const program = await opener(env);
  if (program === undefined) return false;
  return new Promise<boolean>((resolve) => {
    // An argv, no shell: the URL is one argument whatever it contains.
    const child = nodeChildProcess().spawn(program, [url], { stdio: 'ignore', detached: true, env });
    child.once('error', () => resolve(false));
    child.once('spawn', () => {
      child.unref();
      resolve(true);
    });
  });
}
