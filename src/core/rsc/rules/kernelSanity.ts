// rproc_elf_sanity_check() (remoteproc_elf_loader.c) on the raw image, before any ELF parser sees
// it, so images our reader would refuse for its own reasons still get the kernel's sentence.
// Every failure is fatal: the sanity check runs first in rproc_fw_boot() and returns -EINVAL.
// The hosts of the supported boards are little-endian ARM, where `char` is unsigned.

import { Finding } from '../../findings';
import { Place, Rule, report } from './report';

const fn = 'rproc_elf_sanity_check';
const rule = (name: string, explanation: string, fix: string): Rule => ({ rule: `kernel/${name}`, kernelFunction: fn, errno: 'EINVAL', explanation, fix });

const imageTooSmall = rule(
  'image_too_small',
  'The file is shorter than an ELF header, or the section header the kernel reads at e_shstrndx lies past its end.',
  'Give the kernel the linked ELF image (not a .bin or a truncated copy) and keep e_shstrndx inside the section header table.',
);
const badMagic = rule('bad_magic', 'The file does not start with \\x7fELF: remoteproc only loads ELF images.', 'Point firmware-name at the ELF produced by the linker, not a raw binary or hex file.');
const unsupportedClass = rule('unsupported_class', 'EI_CLASS must be ELFCLASS32 (1) or ELFCLASS64 (2).', 'Rebuild the image; the identification bytes are damaged.');
const elf64TooSmall = rule('elf64_header_too_small', 'An ELFCLASS64 image must hold the 64-byte ELF64 header.', 'Rebuild the image; it is truncated.');
const endianness = rule(
  'unsupported_endianness',
  'The kernel assumes the firmware has the host\'s byte order; the hosts of the supported boards are little-endian.',
  'Build the firmware little-endian (e.g. drop -mbig-endian / -mbe32).',
);
const shTableOutOfBounds = rule('section_header_table_out_of_bounds', 'e_shoff points past the end of the file.', 'Rebuild or re-link the image; do not strip it with tools that rewrite e_shoff wrongly.');
const shOutOfBounds = rule('section_headers_out_of_bounds', 'The section header table (e_shoff + e_shnum entries) runs past the end of the file.', 'Rebuild the image; it is truncated or its header is damaged.');
const noSegments = rule('no_loadable_segments', 'e_phnum is 0: there is nothing to load.', 'Link an executable (not a relocatable object) so the image has program headers.');
const phoffTooLarge = rule('firmware_size_too_small', 'e_phoff points past the end of the file.', 'Rebuild the image; it is truncated or its header is damaged.');

export function kernelSanityCheck(b: Uint8Array): Finding | undefined {
  const size = b.byteLength;
  const fail = (r: Rule, message: string, place: Place): Finding => report(r, 'error', message, place);
  if (size < 52) return fail(imageTooSmall, 'Image is too small', { offset: 0, length: size });
  if (b[0] !== 0x7f || b[1] !== 0x45 || b[2] !== 0x4c || b[3] !== 0x46) return fail(badMagic, 'Image is corrupted (bad magic)', { offset: 0, length: 4 });
  const cls = b[4];
  if (cls !== 1 && cls !== 2) return fail(unsupportedClass, `Unsupported class: ${cls}`, { offset: 4, length: 1 });
  const is64 = cls === 2;
  if (is64 && size < 64) return fail(elf64TooSmall, 'elf64 header is too small', { offset: 0, length: size });
  if (b[5] !== 1) return fail(endianness, 'Unsupported firmware endianness', { offset: 5, length: 1 });

  const v = new DataView(b.buffer, b.byteOffset, size);
  const u16 = (o: number) => v.getUint16(o, true);
  const word = (o: number) => (is64 ? v.getUint32(o, true) + v.getUint32(o + 4, true) * 2 ** 32 : v.getUint32(o, true));
  const phoff = word(is64 ? 32 : 28);
  const shoff = word(is64 ? 40 : 32);
  const phnum = u16(is64 ? 56 : 44);
  const shnum = u16(is64 ? 60 : 48);
  const shstrndx = u16(is64 ? 62 : 50);
  const shdrSize = is64 ? 64 : 40;
  const shoffField = { offset: is64 ? 40 : 32, length: is64 ? 8 : 4 };

  if (shoff > size) return fail(shTableOutOfBounds, 'Section header table is out of bounds', shoffField);
  if (shnum && shdrSize * shnum + shoff > size) return fail(shOutOfBounds, 'Section headers are out of bounds', shoffField);
  if (shdrSize * (shstrndx + 1) + shoff > size) return fail(imageTooSmall, 'Image is too small', { offset: is64 ? 62 : 50, length: 2 });
  if (phnum === 0) return fail(noSegments, 'No loadable segments', { offset: is64 ? 56 : 44, length: 2 });
  if (phoff > size) return fail(phoffTooLarge, 'Firmware size is too small', { offset: is64 ? 32 : 28, length: is64 ? 8 : 4 });
  return undefined;
}
