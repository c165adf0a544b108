import { readFileSync } from 'node:fs';
import { renderReadme } from '../../scripts/docs.ts';

test('the README input and output tables match action.yml', () => {
  const readme = readFileSync('README.md', 'utf8');
  expect(renderReadme(readme, readFileSync('action.yml', 'utf8'))).toBe(readme);
});
