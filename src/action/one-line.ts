// Every line the action (and the CLI) writes passes through here. Text from a server or an input can hold line
// breaks and `::command::` starts; the runner reads stdout line by line and obeys any line that starts with
// `::` (after spaces), e.g. ::stop-commands::, which would show every later mask as plain text.
import { redactSecretShapes } from '../settings/value-shape.js';

/** Line breaks of every kind: CR, LF, NEL, the Unicode line and paragraph separators, vertical tab, form feed. */
const LINE_BREAKS = /[ \t]*(?:\r\n|[\r\n\v\f\u0085\u2028\u2029])[ \t]*/g;
/** Other control characters, and the invisible marks that reorder text (a message must read as it is). */
const INVISIBLE = /[\p{Cc}\u200b-\u200f\u202a-\u202e\u2066-\u2069\ufeff]/gu;

/**
 * The text as one log line: line breaks become ' ⏎ ', control and invisible characters are shown escaped
 * (\u001B), secret-shaped text is replaced by what it is, and the line cannot start a workflow command: a
 * leading `::` (after spaces) is written `: :`, and the old `##[` form is broken up as `## [` wherever it is.
 */
export function oneLine(text: string): string {
  return redactSecretShapes(String(text))
    .replace(LINE_BREAKS, ' ⏎ ')
    .replace(INVISIBLE, (c) => (c === '\t' ? c : `\\u${c.charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')}`))
    .replace(/##\[/g, '## [')
    .replace(/^(\s*):(?=:)/, '$1: ');
}
