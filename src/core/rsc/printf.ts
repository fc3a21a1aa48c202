// The kernel's printf conversions of the values it prints, so our text matches its text.

/** `%x`, `%llx`, `%zx` of an unsigned value (no `0x`: the format string carries it). */
export function hex(n: number): string {
  return n.toString(16);
}

/** `%d` of a u32 member: the kernel passes it to an int conversion. */
export function int(n: number): string {
  return String(n | 0);
}
