/**
 * Member-controlled text made safe for a terminal: cluster, node-group and insight names, tag values, insight
 * reasons and error messages come from member accounts, and an escape sequence in one of them could clear the
 * screen, rewrite earlier lines or set the window title. Every string the CLI prints to a terminal goes through
 * {@link terminalSafe}; the CLI's own colours are added afterwards.
 */

// ESC [ … final byte (CSI), ESC ] … BEL or ST (OSC), ESC P/X/^/_ … ST (DCS, SOS, PM, APC), any other ESC + one byte.
const ESCAPE_SEQUENCE =
  // eslint-disable-next-line no-control-regex
  /\x1b\[[0-?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)?|\x1b[PX^_][^\x1b]*(?:\x1b\\)?|\x1b[\s\S]?/g;
// C0 controls (tab and line breaks become a space), DEL and the C1 controls.

const LINE_BREAKS = /[\t\n\r\v\f]/g;
// eslint-disable-next-line no-control-regex
const CONTROLS = /[\x00-\x1f\x7f-\x9f]/g;

/**
 * `text` without escape sequences and control characters (C0, DEL, C1); tabs and line breaks become spaces, so one
 * value stays on one line.
 *
 * @example terminalSafe('prod\x1b[2J\x1b[Hcluster') // 'prodcluster'
 */
export function terminalSafe(text: string): string {
  return text.replace(ESCAPE_SEQUENCE, '').replace(LINE_BREAKS, ' ').replace(CONTROLS, '');
}
