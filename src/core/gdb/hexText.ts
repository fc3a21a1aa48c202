// Hex text as the GDB remote protocol writes bytes, numbers and console text.

/** Bytes as two lower-case hex digits each. */
export function toHex(bytes: Uint8Array): string {
  let s = '';
  for (const b of bytes) s += (b < 16 ? '0' : '') + b.toString(16);
  return s;
}

/** Hex digit pairs as bytes; undefined when `text` is not an even run of hex digits. */
export function fromHex(text: string): Uint8Array | undefined {
  if (text.length % 2 !== 0 || !/^[0-9a-fA-F]*$/.test(text)) return undefined;
  const out = new Uint8Array(text.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = parseInt(text.substr(i * 2, 2), 16);
  return out;
}

/** A hex number of at most 8 digits (an address, a length, a register number); undefined otherwise. */
export function parseHexNumber(text: string): number | undefined {
  return /^[0-9a-fA-F]{1,8}$/.test(text) ? parseInt(text, 16) : undefined;
}

/** Text (UTF-8) as hex: the console output of 'O' packets and qRcmd's command and replies. */
export function textToHex(text: string): string {
  return toHex(new TextEncoder().encode(text));
}

/** Hex back to text (UTF-8); undefined when it is not hex. */
export function hexToText(hex: string): string | undefined {
  const bytes = fromHex(hex);
  return bytes && new TextDecoder().decode(bytes);
}

/** A latin1 string's bytes. */
export function latin1Bytes(text: string): Uint8Array {
  const out = new Uint8Array(text.length);
  for (let i = 0; i < text.length; i++) out[i] = text.charCodeAt(i) & 0xff;
  return out;
}

/** Bytes as a latin1 string. */
export function bytesLatin1(bytes: Uint8Array): string {
  let s = '';
  for (let i = 0; i < bytes.length; i += 8192) s += String.fromCharCode(...bytes.subarray(i, i + 8192));
  return s;
}
