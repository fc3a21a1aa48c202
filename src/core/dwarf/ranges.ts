// The address ranges of an entry: DW_AT_low_pc/DW_AT_high_pc, or DW_AT_ranges into .debug_rnglists
// (DWARF 5) or .debug_ranges (DWARF 2-4), with the unit's base address.
import { AT, RLE } from './constants';
import type { DebugInfo, Die, Unit } from './debugInfo';
import type { DwarfReader } from './dwarfReader';
import { addrx } from './forms';

export interface AddressRange {
  readonly start: number;
  /** Exclusive. */
  readonly end: number;
}

/** More entries than this in one list is refused as malformed. */
export const MAX_LIST_ENTRIES = 1 << 16;

export function rangesOf(info: DebugInfo, die: Die): AddressRange[] {
  const low = die.attr(AT.low_pc);
  const high = die.attr(AT.high_pc);
  if (low?.kind === 'address' && high) {
    const end = high.kind === 'address' ? high.value : high.kind === 'const' ? low.value + high.value : low.value;
    return end > low.value ? [{ start: low.value, end }] : [];
  }
  const ranges = die.attr(AT.ranges);
  if (!ranges) return [];
  const unit = die.unit;
  if (ranges.kind === 'rnglistx') return readRnglist(info, unit, listOffset(info.sections.reader('.debug_rnglists'), unit.rnglistsBase, ranges.value));
  if (ranges.kind !== 'offset' && ranges.kind !== 'const') return [];
  if (unit.version >= 5) return readRnglist(info, unit, ranges.value);
  return readDebugRanges(info, unit, ranges.value);
}

/** The offset of entry `index` of the offsets table at `base` (.debug_rnglists, .debug_loclists). */
export function listOffset(r: DwarfReader, base: number, index: number): number {
  r.offset = base + index * 4;
  return base + r.u32();
}

function readRnglist(info: DebugInfo, unit: Unit, offset: number): AddressRange[] {
  const r = info.sections.reader('.debug_rnglists', offset);
  const size = unit.addressSize;
  let base = unit.baseAddress;
  const out: AddressRange[] = [];
  const add = (start: number, end: number) => {
    if (end > start) out.push({ start, end });
  };
  for (let n = 0; n < MAX_LIST_ENTRIES; n++) {
    const at = r.offset;
    const kind = r.u8();
    switch (kind) {
      case RLE.end_of_list:
        return out;
      case RLE.base_addressx:
        base = addrx(r.uleb(), unit.ctx);
        break;
      case RLE.startx_endx: {
        const s = addrx(r.uleb(), unit.ctx);
        add(s, addrx(r.uleb(), unit.ctx));
        break;
      }
      case RLE.startx_length: {
        const s = addrx(r.uleb(), unit.ctx);
        add(s, s + r.uleb());
        break;
      }
      case RLE.offset_pair: {
        const s = r.uleb();
        add(base + s, base + r.uleb());
        break;
      }
      case RLE.base_address:
        base = r.unsigned(size);
        break;
      case RLE.start_end: {
        const s = r.unsigned(size);
        add(s, r.unsigned(size));
        break;
      }
      case RLE.start_length: {
        const s = r.unsigned(size);
        add(s, s + r.uleb());
        break;
      }
      default:
        throw r.error(at, `unknown range list entry 0x${kind.toString(16)}`);
    }
  }
  throw r.error(offset, `range list has more than ${MAX_LIST_ENTRIES} entries`);
}

function readDebugRanges(info: DebugInfo, unit: Unit, offset: number): AddressRange[] {
  const r = info.sections.reader('.debug_ranges', offset);
  const size = unit.addressSize;
  const all = size === 4 ? 0xffffffff : Number.MAX_SAFE_INTEGER;
  let base = unit.baseAddress;
  const out: AddressRange[] = [];
  for (let n = 0; n < MAX_LIST_ENTRIES; n++) {
    const s = r.unsigned(size);
    const e = r.unsigned(size);
    if (s === 0 && e === 0) return out;
    if (s === all || (size === 8 && s >= all)) base = e;
    else if (e > s) out.push({ start: base + s, end: base + e });
  }
  throw r.error(offset, `range list has more than ${MAX_LIST_ENTRIES} entries`);
}
