// The new part of a remote's trace buffer between two reads of its debugfs file.

/**
 * What the remote wrote since `seen`: the trace is a ring, so after a wrap the new characters
 * overwrite its start and the old ones stay after them. The span between the first and the last
 * changed character (or the appended tail) is the news.
 */
export function freshTrace(seen: string, text: string): string {
  let first = 0;
  while (first < seen.length && first < text.length && seen[first] === text[first]) first++;
  if (first === text.length) return '';
  if (text.length > seen.length) return text.slice(first);
  let last = text.length - 1;
  while (last > first && seen[last] === text[last]) last--;
  return text.slice(first, last + 1);
}
