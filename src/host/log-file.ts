/**
 * Where VS Code writes an Output channel to disk:
 * `<logs>/<session>/exthost<N>/output_logging_<ts>/<n>-<channel name>.log`, next to the
 * extension's own `context.logUri` (`<logs>/<session>/exthost<N>/<extension id>`).
 */
import { readdir, stat } from 'node:fs/promises';
import path from 'node:path';

async function entries(dir: string): Promise<string[]> {
  try {
    return await readdir(dir);
  } catch {
    return [];
  }
}

/** The newest `*-<channelName>.log` under the extension host's output_logging folders. */
export async function findOutputLogFile(extensionLogDir: string, channelName: string): Promise<string | undefined> {
  const hostDir = path.dirname(extensionLogDir);
  let newest: { file: string; mtime: number } | undefined;
  for (const folder of (await entries(hostDir)).filter((name) => name.startsWith('output_logging_'))) {
    for (const name of await entries(path.join(hostDir, folder))) {
      if (!name.endsWith(`-${channelName}.log`)) continue;
      const file = path.join(hostDir, folder, name);
      const { mtimeMs } = await stat(file);
      if (newest === undefined || mtimeMs > newest.mtime) newest = { file, mtime: mtimeMs };
    }
  }
  return newest?.file;
}
