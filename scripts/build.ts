// Bundles each entry with ncc into dist/<entry>/, minified, and writes dist/<entry>/licenses.txt with the
// license of every package bundled. (ncc's own --license lists only the packages of split chunks once an
// entry has dynamic imports, so the list is made here from ncc's module statistics.)
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export const ENTRIES = ['main', 'post', 'cli'];

interface StatsModule {
  name?: string;
  modules?: StatsModule[];
}

function bundledPackages(statsFile: string): string[] {
  const stats = JSON.parse(readFileSync(statsFile, 'utf8')) as { modules?: StatsModule[] };
  const names = new Set<string>();
  const walk = (modules: StatsModule[] = []) => {
    for (const module of modules) {
      for (const match of (module.name ?? '').matchAll(/node_modules\/((?:@[^/]+\/)?[^/]+)/g)) names.add(match[1]);
      walk(module.modules);
    }
  };
  walk(stats.modules);
  return [...names].sort();
}

function licenseOf(name: string): string {
  const dir = join('node_modules', name);
  const manifest = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { license?: string; version: string };
  const file = readdirSync(dir).find((f) => /^(licen[cs]e|copying)(\.|$)/i.test(f));
  const text = file ? readFileSync(join(dir, file), 'utf8').trim() : '(no license file in the package)';
  return `${name}@${manifest.version}\n${manifest.license ?? 'UNKNOWN'}\n${text}\n`;
}

export function build(outDir = 'dist'): void {
  rmSync(outDir, { recursive: true, force: true });
  for (const entry of ENTRIES) {
    const statsFile = join(outDir, `${entry}.stats.json`);
    execFileSync(
      'ncc',
      ['build', `src/entries/${entry}.ts`, '-o', `${outDir}/${entry}`, '--minify', '--stats-out', statsFile, '--quiet'],
      {
        stdio: 'inherit',
      },
    );
    writeFileSync(join(outDir, entry, 'licenses.txt'), bundledPackages(statsFile).map(licenseOf).join('\n'));
    if (existsSync(statsFile)) rmSync(statsFile);
  }
}

if (import.meta.main) build();
