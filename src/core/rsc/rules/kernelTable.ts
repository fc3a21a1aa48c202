// find_table() and the driver's parse_fw(): the `.resource_table` section and its header, read
// from the image the way the kernel reads them (host byte order, little-endian here). The default
// ELF ops (and ti_k3_r5_remoteproc.c) refuse to boot when this fails; stm32_rproc_parse_fw() and
// zynqmp_r5_parse_fw() log and boot without a table.

import { ElfFile } from '../../elf/elfFile';
import { SectionHeader } from '../../elf/types';
import { Finding, Severity } from '../../findings';
import { KernelModel } from '../kernelModel';
import { RSC_TABLE_HDR_SIZE } from '../types';
import { Rule, int, report } from './report';

const rule = (name: string, explanation: string, fix: string): Rule => ({ rule: `kernel/${name}`, kernelFunction: 'find_table', errno: 'EINVAL', explanation, fix });

const truncated = rule('resource_table_truncated', 'The .resource_table section runs past the end of the file.', 'Rebuild the image; keep .resource_table a PROGBITS section with its contents in the file.');
const headerless = rule('header_less_resource_table', 'The section is smaller than struct resource_table (16 bytes: ver, num, reserved[2]).', 'Define the table as a struct that starts with ver, num and reserved[2] and keep it in .resource_table.');
const badVersion = rule('unsupported_fw_ver', 'Only version 1 of the resource table format exists; the kernel refuses any other.', 'Set `.ver = 1` in the table.');
const reservedBytes = rule('non_zero_reserved_bytes', 'reserved[0] and reserved[1] of the table header must be zero.', 'Initialise the header as `{ 1, NUM, { 0, 0 }, { offsets } }`.');
const incomplete = rule('resource_table_incomplete', 'The offset array (num entries of 4 bytes after the 16-byte header) does not fit in the section.', 'Make `num` match the number of entries, and the offset array part of the section.');
const refusedEffect = 'no carveouts, trace buffers or virtio devices, so no rpmsg.';
const missing: Rule = {
  rule: 'kernel/no_resource_table',
  kernelFunction: 'rproc_elf_load_rsc_table',
  errno: 'EINVAL',
  explanation: `The image has no .resource_table section. Without a table there are ${refusedEffect}`,
  fix: 'Add a resource table in a section named .resource_table (OpenAMP: `__section(".resource_table")`), kept by the linker script.',
};

export interface TableLookup {
  /** The `.resource_table` section header, when there is one. */
  readonly section?: SectionHeader;
  /** The kernel uses the table (find_table succeeded). */
  readonly accepted: boolean;
  /** The boot stops here. */
  readonly fatal: boolean;
  readonly findings: Finding[];
}

export function kernelFindTable(elf: ElfFile, k: KernelModel): TableLookup {
  const required = k.core ? k.core.tableRequired : true;
  const severity: Severity = required ? 'error' : 'warning';
  const findings: Finding[] = [];
  const section = elf.section('.resource_table');
  // The drivers that go on without a table say so after find_table's own message.
  // A missing table is about the section headers; a refused one about its own header.
  const where = () =>
    section
      ? { offset: section.headerOffset, length: elf.header.shentsize }
      : { offset: elf.header.shoff, length: elf.header.shnum * elf.header.shentsize };
  const refuse = (): TableLookup => {
    // After a refused table the driver's note is about that refusal, not about a missing section.
    const why = findings.length ? { explanation: `The driver ignores the table the kernel refused and boots the core without one: ${refusedEffect}`, fix: 'Fix the finding above.' } : {};
    if (!required && k.driver === 'stm32_rproc') findings.push(report({ ...missing, ...why, kernelFunction: 'stm32_rproc_parse_fw' }, 'warning', 'no resource table found for this firmware', where()));
    if (!required && k.driver === 'zynqmp_r5_remoteproc') findings.push(report({ ...missing, ...why, kernelFunction: 'zynqmp_r5_parse_fw' }, 'info', 'no resource table found.', where()));
    return { section, accepted: false, fatal: required, findings };
  };

  if (!section) {
    if (required) findings.push(report(missing, 'error', 'no .resource_table section (the kernel logs nothing; the boot fails with -EINVAL)', where()));
    return refuse();
  }
  const { offset, size } = section;
  const place = (o: number, length: number) => ({ offset: offset + o, length });
  const fail = (r: Rule, message: string, o: number, length: number): TableLookup => {
    findings.push(report(r, severity, message, place(o, length)));
    return refuse();
  };
  if (offset + size > elf.bytes.byteLength) return fail(truncated, 'resource table truncated', 0, Math.max(0, elf.bytes.byteLength - offset));
  if (RSC_TABLE_HDR_SIZE > size) return fail(headerless, 'header-less resource table', 0, size);
  const v = new DataView(elf.bytes.buffer, elf.bytes.byteOffset + offset, size);
  const ver = v.getUint32(0, true);
  if (ver !== 1) return fail(badVersion, `unsupported fw ver: ${int(ver)}`, 0, 4);
  if (v.getUint32(8, true) || v.getUint32(12, true)) return fail(reservedBytes, 'non zero reserved bytes', 8, 8);
  if (RSC_TABLE_HDR_SIZE + 4 * v.getUint32(4, true) > size) return fail(incomplete, 'resource table incomplete', 4, 4);
  return { section, accepted: true, fatal: false, findings };
}
