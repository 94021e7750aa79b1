/**
 * The package version for `send-as-email --version`. Imported from package.json so esbuild
 * writes the string into dist/cli.js at build time: the bundle needs no package.json beside it.
 */
import { version } from '../../package.json';

export const VERSION: string = version;
