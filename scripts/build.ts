// Bundles each entry with ncc into dist/<entry>/index.js, minified, with the licenses of what it bundles.
import { execFileSync } from 'node:child_process';
import { rmSync } from 'node:fs';

export const ENTRIES = ['main', 'post'];

export function build(outDir = 'dist'): void {
  rmSync(outDir, { recursive: true, force: true });
  for (const entry of ENTRIES) {
    execFileSync(
      'ncc',
      ['build', `src/${entry}.ts`, '-o', `${outDir}/${entry}`, '--minify', '--license', 'licenses.txt', '--quiet'],
      { stdio: 'inherit' },
    );
  }
}

if (import.meta.main) build();
