/**
 * Reads a V8 .cpuprofile and prints where the self time went: the top functions and the total
 * per source file. Frames in the bundled scripts are mapped back to their TypeScript source
 * through the bundle's source map (node:module SourceMap).
 *
 * Also usable alone: `npx tsx bench/profile-summary.ts FILE.cpuprofile [top]`.
 */
import fs from 'node:fs';
import { SourceMap } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

interface CallFrame {
  readonly functionName: string;
  readonly url: string;
  /** 0-based, as V8 reports them. */
  readonly lineNumber: number;
  readonly columnNumber: number;
}
interface ProfileNode {
  readonly id: number;
  readonly callFrame: CallFrame;
}
export interface CpuProfile {
  readonly nodes: readonly ProfileNode[];
  readonly samples?: readonly number[];
  readonly timeDeltas?: readonly number[];
}

const ROOT = path.dirname(__dirname);
const sourceMaps = new Map<string, SourceMap | undefined>();

function sourceMapOf(file: string): SourceMap | undefined {
  if (!sourceMaps.has(file)) {
    const mapFile = `${file}.map`;
    sourceMaps.set(file, fs.existsSync(mapFile) ? new SourceMap(JSON.parse(fs.readFileSync(mapFile, 'utf8')) as never) : undefined);
  }
  return sourceMaps.get(file);
}

/** Where a frame's code was written: `src/core/smtp/client.ts:123`, `node:net`, `(native)`. */
function locate(frame: CallFrame): { file: string; line?: number } {
  if (frame.url === '') return { file: '(native)' };
  if (!frame.url.startsWith('file://') && !frame.url.startsWith('/')) return { file: frame.url };
  const file = frame.url.startsWith('file://') ? fileURLToPath(frame.url) : frame.url;
  const entry = sourceMapOf(file)?.findEntry(frame.lineNumber, frame.columnNumber);
  if (entry !== undefined && 'originalSource' in entry) {
    const original = path.relative(ROOT, path.resolve(path.dirname(file), entry.originalSource));
    return { file: original, line: entry.originalLine + 1 };
  }
  return { file: path.relative(ROOT, file), line: frame.lineNumber + 1 };
}

export function summarizeProfile(profile: CpuProfile, top = 15): string {
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const samples = profile.samples ?? [];
  const deltas = profile.timeDeltas ?? [];
  const selfUs = new Map<number, number>();
  samples.forEach((id, index) => selfUs.set(id, (selfUs.get(id) ?? 0) + (deltas[index] ?? 0)));
  let total = 0;
  const byFunction = new Map<string, number>();
  const byFile = new Map<string, number>();
  for (const [id, us] of selfUs) {
    const frame = byId.get(id)?.callFrame;
    if (frame === undefined) continue;
    total += us;
    const where = locate(frame);
    const name = frame.functionName === '' ? '(anonymous)' : frame.functionName;
    const key = `${name}  ${where.file}${where.line === undefined ? '' : `:${where.line}`}`;
    byFunction.set(key, (byFunction.get(key) ?? 0) + us);
    byFile.set(where.file, (byFile.get(where.file) ?? 0) + us);
  }
  const lines = [`    sampled ${(total / 1000).toFixed(1)} ms; self time by function:`];
  const sorted = (map: Map<string, number>): Array<[string, number]> => [...map].sort((a, b) => b[1] - a[1]).slice(0, top);
  const row = ([key, us]: [string, number]): string =>
    `      ${(us / 1000).toFixed(1).padStart(7)} ms ${((100 * us) / Math.max(total, 1)).toFixed(1).padStart(5)}%  ${key}`;
  lines.push(...sorted(byFunction).map(row), '    self time by file:', ...sorted(byFile).map(row));
  return lines.join('\n');
}

export function summarizeProfileFile(file: string, top = 15): string {
  return summarizeProfile(JSON.parse(fs.readFileSync(file, 'utf8')) as CpuProfile, top);
}

if (require.main === module) {
  const file = process.argv[2];
  if (file === undefined) {
    console.error('usage: tsx bench/profile-summary.ts FILE.cpuprofile [top]');
    process.exit(2);
  }
  console.log(summarizeProfileFile(file, Number(process.argv[3] ?? 15)));
}
