// Checks a firmware image the way rproc_fw_boot() will, in its order and with its words, then
// with our own rules. The kernel path stops where the kernel's boot would stop; our rules run on
// whatever could still be read, so one pass shows everything that is wrong.
//
//   rproc_fw_sanity_check -> rproc_parse_fw (find_table) -> rproc_handle_resources
//   (handlers, rproc-virtio probe) -> rproc_load_segments -> rproc_find_loaded_rsc_table
//   -> subdevices start (rproc_add_virtio_dev)

import { ElfFile } from '../elf/elfFile';
import { ElfError, SectionHeader } from '../elf/types';
import { Finding } from '../findings';
import { Board, CoreDesc } from '../soc/board';
import { readResourceTable } from './decode';
import { Carveout, KernelModel, kernelModel } from './kernelModel';
import { ampwContext } from './rules/ampwContext';
import { ampwMemory } from './rules/ampwMemory';
import { ampwTable } from './rules/ampwTable';
import { ampwVdev } from './rules/ampwVdev';
import { kernelHandleResources } from './rules/kernelResources';
import { kernelSanityCheck } from './rules/kernelSanity';
import { kernelLoadSegments } from './rules/kernelSegments';
import { kernelStartVdevs } from './rules/kernelVirtio';
import { TableLookup, kernelFindTable } from './rules/kernelTable';
import { Rule, report } from './rules/report';
import { ResourceTable, RscFault } from './types';

export interface ValidateOptions {
  readonly board?: Board;
  /** The core of `board` the firmware is for; without it only the generic kernel behaviour is checked. */
  readonly core?: CoreDesc;
  /** The rproc has an IOMMU domain (none of the bundled boards has one). */
  readonly iommu?: boolean;
}

export interface Validation {
  readonly findings: Finding[];
  /** The kernel would boot it: no finding is an error. */
  readonly ok: boolean;
  readonly elf?: ElfFile;
  readonly table?: ResourceTable;
  readonly tableSection?: SectionHeader;
}

const elfMalformed: Rule = {
  rule: 'ampw/elf-malformed',
  explanation: 'The image passes the kernel\'s sanity check but its headers point outside the file or contradict each other; the kernel would read whatever lies there.',
  fix: 'Rebuild the image with the toolchain\'s linker and install it unmodified.',
};

export function validateFirmware(bytes: Uint8Array, opts: ValidateOptions = {}): Validation {
  const k = kernelModel(opts.board, opts.core, opts.iommu);
  const findings: Finding[] = [];
  const done = (v: Omit<Validation, 'findings' | 'ok'> = {}): Validation => ({ findings, ok: !findings.some((f) => f.severity === 'error'), ...v });

  const sanity = kernelSanityCheck(bytes);
  if (sanity) findings.push(sanity);

  let elf: ElfFile;
  try {
    elf = ElfFile.parse(bytes);
  } catch (e) {
    if (!(e instanceof ElfError)) throw e;
    // A refused sanity check already says why; the reader's own complaint adds nothing.
    if (!sanity) findings.push(report(elfMalformed, 'error', e.message, { offset: e.offset }));
    return done();
  }

  try {
    return judge(elf, bytes, k, findings, sanity !== undefined, done);
  } catch (e) {
    // Section names and data are read on demand; a bad one is still the reader's typed error.
    if (!(e instanceof ElfError)) throw e;
    findings.push(report(elfMalformed, 'error', e.message, { offset: e.offset }));
    return done({ elf });
  }
}

function judge(elf: ElfFile, bytes: Uint8Array, k: KernelModel, findings: Finding[], sanityFailed: boolean, done: (v: Omit<Validation, 'findings' | 'ok'>) => Validation): Validation {
  let stopped = sanityFailed;
  let lookup: TableLookup | undefined;
  if (!stopped) {
    lookup = kernelFindTable(elf, k);
    findings.push(...lookup.findings);
    stopped = lookup.fatal;
  }
  const section = lookup ? lookup.section : elf.section('.resource_table');

  let table: ResourceTable | undefined;
  let structural: RscFault | undefined;
  if (section && section.offset + section.size <= bytes.byteLength) {
    const r = readResourceTable(bytes.subarray(section.offset, section.offset + section.size), elf.header.endian);
    if ('fault' in r) structural = r.fault;
    else table = r.table;
  }

  let carveouts: Carveout[] = k.registeredCarveouts();
  let probedVdevs: number[] = [];
  if (!stopped && section && lookup?.accepted) {
    const res = kernelHandleResources(table?.entries ?? structural?.partial.entries ?? [], structural, section.offset, k);
    findings.push(...res.findings);
    carveouts = res.carveouts;
    probedVdevs = res.probedVdevs;
    stopped = res.fatal;
  }

  const segments = stopped ? undefined : kernelLoadSegments(elf, k, carveouts);
  if (segments) findings.push(segments);
  if (!stopped && !segments) findings.push(...kernelStartVdevs(probedVdevs, carveouts));

  const c = ampwContext(elf, table, section, k, carveouts);
  findings.push(...ampwMemory(c, segments), ...ampwVdev(c), ...ampwTable(c));
  return done({ elf, table, tableSection: section });
}
