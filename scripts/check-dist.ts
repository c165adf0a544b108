// Fails when the committed dist/ differs from a fresh build of src/: the runner runs dist/, not src/.
import { readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { build } from './build.ts';

function listFiles(dir: string, prefix = ''): string[] {
  return readdirSync(join(dir, prefix), { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? listFiles(dir, join(prefix, entry.name)) : [join(prefix, entry.name)],
  );
}

const fresh = '.tmp/dist-check';
build(fresh);
const committed = new Set(listFiles('dist'));
const built = new Set(listFiles(fresh));
const differences = [...new Set([...committed, ...built])].filter(
  (file) =>
    !committed.has(file) ||
    !built.has(file) ||
    !readFileSync(join('dist', file)).equals(readFileSync(join(fresh, file))),
);
rmSync(fresh, { recursive: true, force: true });
if (differences.length) {
  console.error(
    `dist/ does not match a fresh build of src/ (${differences.join(', ')}). Run \`npm run build\` and commit dist/.`,
  );
  process.exit(1);
}
console.log(`dist/ matches a fresh build (${built.size} files).`);
