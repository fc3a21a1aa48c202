// Strings from a firmware image or a board file reach the terminal: their control characters
// (ESC, BEL, CR, C1 controls such as 0x9b CSI) are shown as \xNN so an image cannot retitle,
// recolour or rewrite the user's terminal. Newlines and tabs of our own layout stay.
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const CONTROL = /[\x00-\x08\x0b-\x1f\x7f-\x9f]/g;

export function printable(s: string): string {
  return s.replace(CONTROL, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`);
}
