// The XML documents gdb reads through qXfer: the target description (target.xml: architecture and
// registers, grouped in the features gdb knows by name) and the memory map.
import type { MemoryRegion, RegisterInfo } from './target';

const hex = (v: number) => `0x${(v >>> 0).toString(16)}`;

/** target.xml: every register with its number, in features of the order the registers come in. */
export function targetXml(architecture: string, registers: readonly RegisterInfo[]): string {
  const features = new Map<string, string[]>();
  registers.forEach((r, n) => {
    const group = r.group ? ` group="${r.group}"` : '';
    const line = `<reg name="${r.name}" bitsize="${r.bitsize}" type="${r.type}" regnum="${n}"${group}/>`;
    const lines = features.get(r.feature);
    if (lines) lines.push(line);
    else features.set(r.feature, [line]);
  });
  const body = [...features].map(([name, lines]) => `<feature name="${name}">\n${lines.join('\n')}\n</feature>`).join('\n');
  return `<?xml version="1.0"?>\n<!DOCTYPE target SYSTEM "gdb-target.dtd">\n<target version="1.0">\n<architecture>${architecture}</architecture>\n${body}\n</target>\n`;
}

/** The memory map: gdb refuses accesses outside it, so it lists every region the core can reach. */
export function memoryMapXml(regions: readonly MemoryRegion[]): string {
  const lines = regions.map((r) => `<memory type="${r.type}" start="${hex(r.start)}" length="${hex(r.length)}"/>`);
  return `<?xml version="1.0"?>\n<memory-map>\n${lines.join('\n')}\n</memory-map>\n`;
}
