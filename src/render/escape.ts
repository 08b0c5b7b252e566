/**
 * Text from a file shown on a terminal (a code frame's source line, a name in a message) is shown,
 * not obeyed: terminal control characters (C0, DEL, C1: ESC starts colour changes, cursor moves,
 * window-title writes) and Unicode bidirectional controls (which reorder what the reader sees,
 * "Trojan Source") are written as `\u001b`-style escapes, as JSON.stringify writes C0 characters
 * in messages already. A tab is left to the caller (code frames show it as a space).
 */

// C0 except tab and newline, DEL, C1 (NEL included), the bidi embeddings, overrides, isolates and
// marks, and the line/paragraph separators, which end a line on some terminals and not others.
const CONTROLS = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;

const escape = (c: string): string => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`;

/** `s` with every control character written as `\uXXXX`. */
export function escapeControls(s: string): string {
  return s.replace(CONTROLS, escape);
}

/** True when `s` holds a character escapeControls would rewrite. */
export function hasControls(s: string): boolean {
  CONTROLS.lastIndex = 0;
  const found = CONTROLS.test(s);
  CONTROLS.lastIndex = 0;
  return found;
}
