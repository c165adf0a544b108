// Writes the input and output tables in README.md from action.yml, between the marker comments, so the two
// never drift. `--check` exits 1 when README.md is not what this would write.
import { readFileSync, writeFileSync } from 'node:fs';
import { parse } from 'yaml';

interface ActionYml {
  inputs: Record<string, { description: string; default?: string }>;
  outputs: Record<string, { description: string }>;
}

const cell = (text: string) => text.replace(/\s+/g, ' ').replace(/\|/g, '\\|').trim();

export function tables(actionYml: string): { inputs: string; outputs: string } {
  const action = parse(actionYml) as ActionYml;
  const inputs = [
    '| input | default | description |',
    '|---|---|---|',
    ...Object.entries(action.inputs).map(
      ([name, input]) =>
        `| \`${name}\` | ${input.default ? `\`${cell(input.default)}\`` : ''} | ${cell(input.description)} |`,
    ),
  ].join('\n');
  const outputs = [
    '| output | description |',
    '|---|---|',
    ...Object.entries(action.outputs).map(([name, output]) => `| \`${name}\` | ${cell(output.description)} |`),
  ].join('\n');
  return { inputs, outputs };
}

function replaceBetween(text: string, marker: string, content: string): string {
  const start = `<!-- ${marker}:start (generated from action.yml by npm run docs) -->`;
  const end = `<!-- ${marker}:end -->`;
  const from = text.indexOf(start);
  const to = text.indexOf(end);
  if (from < 0 || to < from) throw new Error(`README.md lacks the ${marker} markers`);
  return text.slice(0, from + start.length) + '\n\n' + content + '\n\n' + text.slice(to);
}

export function renderReadme(readme: string, actionYml: string): string {
  const { inputs, outputs } = tables(actionYml);
  return replaceBetween(replaceBetween(readme, 'inputs', inputs), 'outputs', outputs);
}

if (import.meta.main) {
  const readme = readFileSync('README.md', 'utf8');
  const rendered = renderReadme(readme, readFileSync('action.yml', 'utf8'));
  if (process.argv.includes('--check')) {
    if (rendered !== readme) {
      console.error('README.md tables differ from action.yml: run `npm run docs`.');
      process.exit(1);
    }
  } else writeFileSync('README.md', rendered);
}
