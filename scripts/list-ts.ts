/**
 * The TypeScript files under a folder (sorted, node_modules skipped), shared
 * by the repository checks in scripts/.
 */
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

/** Paths of the files under `dir` whose names pass `keep` (default: `.ts`). */
export function listTs(dir: string, keep: (name: string) => boolean = (n) => n.endsWith('.ts'), out: string[] = []): string[] {
  let names: string[];
  try {
    names = readdirSync(dir).sort();
  } catch {
    return out;
  }
  for (const name of names) {
    if (name === 'node_modules') continue;
    const p = join(dir, name);
    if (statSync(p).isDirectory()) listTs(p, keep, out);
    else if (keep(name)) out.push(p);
  }
  return out;
}
