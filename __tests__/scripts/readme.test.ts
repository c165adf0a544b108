import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { renderReadme } from '../../scripts/docs.ts';

test('the README input and output tables match action.yml', () => {
  const readme = readFileSync('README.md', 'utf8');
  expect(renderReadme(readme, readFileSync('action.yml', 'utf8'))).toBe(readme);
});

test('every message quoted in the troubleshooting table is one the code can print', () => {
  const readme = readFileSync('README.md', 'utf8');
  const section = readme.slice(readme.indexOf('## Troubleshooting'), readme.indexOf('## What it promises'));
  const sources = readdirSync('src', { recursive: true, encoding: 'utf8' })
    .filter((file) => file.endsWith('.ts'))
    .map((file) => readFileSync(join('src', file), 'utf8'))
    .join('\n');
  const rows = section.split('\n').filter((line) => line.startsWith('| `'));
  expect(rows.length).toBeGreaterThan(15);
  const missing = rows.flatMap((row) =>
    [...row.split(' | ')[0].matchAll(/`([^`]+)`/g)]
      .flatMap((m) => m[1].split(/…|\bN\b/))
      .map((fragment) => fragment.trim())
      .filter((fragment) => fragment.length >= 6 && !sources.includes(fragment)),
  );
  expect(missing).toEqual([]);
});
