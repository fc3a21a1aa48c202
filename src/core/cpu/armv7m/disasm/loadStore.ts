// Single loads and stores and LDRD/STRD as objdump prints them (the encodings of
// isa/loadStore.ts): the 16-bit immediate forms always show their offset ("[r2, #0]"), the
// 32-bit ones only when it is not zero; PC-relative loads name the address they read.
import { form, immComment, ins, mn, REG, type Ctx, type Form } from './format';

const NAMES_16 = ['str', 'strh', 'strb', 'ldrsb', 'ldr', 'ldrh', 'ldrb', 'ldrsh'];

/** The 32-bit size/sign/load fields to a mnemonic, or undefined (A5.3.9, A5.3.10). */
function name32(s: number, z: number, l: number): string | undefined {
  if (z === 3) return undefined;
  if (s) return l && z !== 2 ? (z === 0 ? 'ldrsb' : 'ldrsh') : undefined;
  return (l ? 'ldr' : 'str') + ['b', 'h', ''][z];
}

/**
 * A load of a byte or halfword into PC is a memory hint: PLD, PLI (signed byte) and, as objdump
 * names the unsigned halfword one, PLDW (all execute as NOP on the M4).
 */
function preloadName(s: number, z: number, l: number, t: number): string | undefined {
  if (!l || t !== 15 || z === 2) return undefined;
  if (z === 0) return s ? 'pli' : 'pld';
  return s ? undefined : 'pldw';
}

/** "[r3, #-4]", "[r3, #8]!", "[r3], #4" of a single load or store: a zero offset shows as "[r3]" or "#0". */
function memImm8(rn: number, imm: number, p: number, u: number, w: number): string {
  const off = imm === 0 ? '' : `#${u ? '' : '-'}${imm}`;
  if (!p) return `[${REG[rn]}], ${off || '#0'}`;
  return `[${REG[rn]}${off && `, ${off}`}]${w ? '!' : ''}`;
}

/** The same for LDRD/STRD, where objdump keeps "#-0" and drops the "!" of "[r3]". */
function memDual(rn: number, imm: number, p: number, u: number, w: number): string {
  const off = `#${u ? '' : '-'}${imm}`;
  if (!p) return `[${REG[rn]}], ${off}`;
  if (u && imm === 0) return `[${REG[rn]}]`;
  return `[${REG[rn]}, ${off}]${w ? '!' : ''}`;
}

/** A PC-relative literal: its operand and the comment naming the address ("addr <sym>"). */
function literal(c: Ctx, add: number, imm: number): { ops: string; comment: string } {
  const base = (c.addr + 4) & ~3;
  const addr = (add ? base + imm : base - imm) >>> 0;
  return { ops: `[pc, #${add ? '' : '-'}${imm}]`, comment: c.target(addr) };
}

export const LOAD_STORE: Form[] = [
  form('01001 ttt iiiiiiii', (f, c) => {
    const l = literal(c, 1, f.i * 4);
    // the 16-bit form alone has its comment in parentheses
    return ins(mn('ldr', c), `${REG[f.t]}, ${l.ops}`, `(${l.comment})`);
  }),
  form('0101 ooo mmm nnn ttt', (f, c) => ins(mn(NAMES_16[f.o], c), `${REG[f.t]}, [${REG[f.n]}, ${REG[f.m]}]`)),
  form('011 B L iiiii nnn ttt', (f, c) => {
    const imm = f.B ? f.i : f.i * 4;
    return ins(mn((f.L ? 'ldr' : 'str') + (f.B ? 'b' : ''), c), `${REG[f.t]}, [${REG[f.n]}, #${imm}]`, immComment(imm));
  }),
  form('1000 L iiiii nnn ttt', (f, c) => {
    const imm = f.i * 2;
    return ins(mn(f.L ? 'ldrh' : 'strh', c), `${REG[f.t]}, [${REG[f.n]}, #${imm}]`, immComment(imm));
  }),
  form('1001 L ttt iiiiiiii', (f, c) => {
    const imm = f.i * 4;
    return ins(mn(f.L ? 'ldr' : 'str', c), `${REG[f.t]}, [sp, #${imm}]`, immComment(imm));
  }),

  // 32-bit: literal (Rn = PC), then imm12, imm8 forms and register offset
  form('11111 00 S U zz 1 1111 tttt iiiiiiiiiiii', (f, c) => {
    const l = literal(c, f.U, f.i);
    if (f.i === 0) l.ops = '[pc]';
    const pre = preloadName(f.S, f.z, 1, f.t);
    if (pre !== undefined) return ins(mn(pre, c), l.ops, l.comment);
    const name = name32(f.S, f.z, 1);
    if (name === undefined) return undefined;
    // objdump reads a negative offset whose top bits are 1110 as the unprivileged form's P U W
    if (!f.U && f.i >>> 8 === 0xe) return ins(mn(`${name}t`, c), `${REG[f.t]}, ${l.ops}`, l.comment);
    return ins(mn(name, c, true), `${REG[f.t]}, ${l.ops}`, l.comment);
  }),
  form('11111 00 S 1 zz L nnnn tttt iiiiiiiiiiii', (f, c) => {
    const mem = f.i === 0 ? `[${REG[f.n]}]` : `[${REG[f.n]}, #${f.i}]`;
    const pre = preloadName(f.S, f.z, f.L, f.t);
    if (pre !== undefined) return ins(mn(pre, c), mem, immComment(f.i));
    const name = name32(f.S, f.z, f.L);
    if (name === undefined) return undefined;
    return ins(mn(name, c, true), `${REG[f.t]}, ${mem}`, immComment(f.i));
  }),
  form('11111 00 S 0 zz L nnnn tttt 1 P U W iiiiiiii', (f, c) => {
    const name = name32(f.S, f.z, f.L);
    if (name === undefined) return undefined;
    if (f.P && f.U && !f.W) return ins(mn(`${name}t`, c), `${REG[f.t]}, ${f.i === 0 ? `[${REG[f.n]}]` : `[${REG[f.n]}, #${f.i}]`}`);
    if (!f.P && !f.W) return undefined;
    const pre = preloadName(f.S, f.z, f.L, f.t);
    if (pre !== undefined && f.P && !f.U && !f.W) return ins(mn(pre, c), `[${REG[f.n]}, #-${f.i}]`);
    return ins(mn(name, c, true), `${REG[f.t]}, ${memImm8(f.n, f.i, f.P, f.U, f.W)}`);
  }),
  form('11111 00 S 0 zz L nnnn tttt 000000 ss mmmm', (f, c) => {
    const shift = f.s === 0 ? '' : `, lsl #${f.s}`;
    const mem = `[${REG[f.n]}, ${REG[f.m]}${shift}]`;
    const pre = preloadName(f.S, f.z, f.L, f.t);
    if (pre !== undefined) return ins(mn(pre, c), mem);
    const name = name32(f.S, f.z, f.L);
    if (name === undefined) return undefined;
    return ins(mn(name, c, true), `${REG[f.t]}, ${mem}`);
  }),
  // LDRD/STRD (immediate, and literal for LDRD)
  form('1110100 P U 1 W L nnnn tttt TTTT iiiiiiii', (f, c) => {
    if (!f.P && !f.W) return undefined;
    const imm = f.i * 4;
    const regs = `${REG[f.t]}, ${REG[f.T]}, `;
    const m = mn(f.L ? 'ldrd' : 'strd', c);
    if (f.n === 15 && f.L && f.P && !f.W && !(f.U && imm === 0)) {
      const l = literal(c, f.U, imm);
      // objdump adds the offset's comment after the address's
      const extra = immComment(imm);
      return ins(m, regs + l.ops, l.comment) + (extra === undefined ? '' : `\t@ ${extra}`);
    }
    // the comment shows the offset's magnitude
    return ins(m, regs + memDual(f.n, imm, f.P, f.U, f.W), immComment(imm));
  }),
];
