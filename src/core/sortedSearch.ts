// Binary search over a list sorted by a numeric key: line-table rows, FDEs, functions and
// symbols are looked up by address this way, a resource table's entries by offset.

/** The index of the last item whose key is at most `value`, or -1. */
export function lastAtOrBefore<T>(items: readonly T[], key: (item: T) => number, value: number): number {
  let lo = 0;
  let hi = items.length - 1;
  let found = -1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (key(items[mid]) <= value) {
      found = mid;
      lo = mid + 1;
    } else hi = mid - 1;
  }
  return found;
}
