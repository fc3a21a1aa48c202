// The table as the kernel's debugfs `resource_table` file shows it
// (drivers/remoteproc/remoteproc_debugfs.c, rproc_rsc_table_show), line for line.

import { hex, int } from './printf';
import { ResourceTable } from './types';

/** `0x%x` as the format strings write it. */
const x = (n: number): string => `0x${hex(n)}`;

export function formatResourceTable(t: ResourceTable | undefined): string {
  if (!t) return 'No resource table found\n';
  const out: string[] = [];
  for (const e of t.entries) {
    switch (e.kind) {
      case 'carveout':
      case 'devmem':
        out.push(
          `Entry ${e.index} is of type ${e.kind}\n`,
          `  Device Address ${x(e.da)}\n`,
          `  Physical Address ${x(e.pa)}\n`,
          `  Length ${x(e.len)} Bytes\n`,
          `  Flags ${x(e.flags)}\n`,
          `  Reserved (should be zero) [${int(e.reserved)}]\n`,
          `  Name ${e.name}\n\n`,
        );
        break;
      case 'trace':
        out.push(
          `Entry ${e.index} is of type trace\n`,
          `  Device Address ${x(e.da)}\n`,
          `  Length ${x(e.len)} Bytes\n`,
          `  Reserved (should be zero) [${int(e.reserved)}]\n`,
          `  Name ${e.name}\n\n`,
        );
        break;
      case 'vdev':
        out.push(
          `Entry ${e.index} is of type vdev\n`,
          `  ID ${int(e.id)}\n`,
          `  Notify ID ${int(e.notifyid)}\n`,
          `  Device features ${x(e.dfeatures)}\n`,
          `  Guest features ${x(e.gfeatures)}\n`,
          `  Config length ${x(e.config_len)}\n`,
          `  Status ${x(e.status)}\n`,
          `  Number of vrings ${e.num_of_vrings}\n`,
          `  Reserved (should be zero) [${e.reserved[0]}][${e.reserved[1]}]\n\n`,
        );
        e.vrings.forEach((v, j) =>
          out.push(
            `  Vring ${j}\n`,
            `    Device Address ${x(v.da)}\n`,
            `    Alignment ${int(v.align)}\n`,
            `    Number of buffers ${int(v.num)}\n`,
            `    Notify ID ${int(v.notifyid)}\n`,
            `    Physical Address ${x(v.pa)}\n\n`,
          ),
        );
        break;
      default:
        // The kernel prints the entry's kernel address (%pK); the table offset is what means something here.
        out.push(`Unknown resource type found: ${int(e.type)} [hdr: ${e.offset.toString(16).padStart(16, '0')}]\n`);
    }
  }
  return out.join('');
}
