// Data processing (A5.2.1-A5.2.4, A5.3.1-A5.3.3, A5.3.11): AND...RSB, MOV/MVN, the compares, the
// shifts (which are MOV with a shifted register), ADR, ADDW/SUBW, MOVW/MOVT, ADD/SUB with SP.
// The 16-bit forms set the flags only outside an IT block.
import { addFlags, carryOut, decodeImmShift, expandImmUnpredictable, shiftC, thumbExpandImmC } from './alu';
import { CYCLES } from './cycles';
import { enc, type Encoding, type Fields } from './encoding';
import type { Core, Inst } from './inst';

/** ALU operations; the ones from TST on write no register. */
export const enum Op { AND, BIC, ORR, ORN, EOR, ADD, ADC, SBC, SUB, RSB, MOV, MVN, TST, TEQ, CMN, CMP }

function dp(c: Core, i: Inst, a: number, b: number, carry: number): void {
  const st = c.state;
  let res: number;
  switch (i.op) {
    case Op.AND: case Op.TST: res = a & b; break;
    case Op.BIC: res = a & ~b; break;
    case Op.ORR: res = a | b; break;
    case Op.ORN: res = a | ~b; break;
    case Op.EOR: case Op.TEQ: res = a ^ b; break;
    case Op.MOV: res = b; break;
    case Op.MVN: res = ~b; break;
    case Op.ADD: case Op.CMN: res = i.setflags ? addFlags(st, a, b, 0) : (a + b) | 0; return write(c, i, res);
    case Op.ADC: res = i.setflags ? addFlags(st, a, b, st.c) : (a + b + st.c) | 0; return write(c, i, res);
    case Op.SUB: case Op.CMP: res = i.setflags ? addFlags(st, a, ~b, 1) : (a - b) | 0; return write(c, i, res);
    case Op.SBC: res = i.setflags ? addFlags(st, a, ~b, st.c) : (a + ~b + st.c) | 0; return write(c, i, res);
    default: res = i.setflags ? addFlags(st, ~a, b, 1) : (b - a) | 0; return write(c, i, res);
  }
  if (i.setflags) {
    st.n = res >>> 31;
    st.z = res === 0 ? 1 : 0;
    st.c = carry;
  }
  write(c, i, res);
}

function write(c: Core, i: Inst, res: number): void {
  if (i.op >= Op.TST) return;
  c.r[i.rd] = i.rd === 13 ? res & ~3 : res;
}

/** Operand 2 an immediate (its carry decided at decode). */
function dpImm(c: Core, i: Inst): void {
  dp(c, i, c.r[i.rn], i.imm, i.immCarry < 0 ? c.state.c : i.immCarry);
}

/** Operand 2 a register shifted by an immediate. */
function dpReg(c: Core, i: Inst): void {
  const b = shiftC(c.r[i.rm], i.shiftType, i.shiftN, c.state.c);
  dp(c, i, c.r[i.rn], b, carryOut);
}

/** Operand 2 a register shifted by the bottom byte of register `ra`. */
function dpRegReg(c: Core, i: Inst): void {
  const b = shiftC(c.r[i.rm], i.shiftType, c.r[i.ra] & 0xff, c.state.c);
  dp(c, i, c.r[i.rn], b, carryOut);
}

/** ADD PC, Rm and MOV PC, Rm (16-bit): ALUWritePC, a branch without interworking. */
function dpToPc(c: Core, i: Inst): void {
  const v = i.op === Op.ADD ? (c.r[i.rn] + c.r[i.rm]) | 0 : c.r[i.rm];
  c.state.pc = (v & ~1) >>> 0;
  c.state.cycles += CYCLES.refill;
}

/** MOVW, ADR, and MOVT (which keeps the bottom half of Rd). */
function movImm(c: Core, i: Inst): void {
  c.r[i.rd] = i.rd === 13 ? i.imm & ~3 : i.imm;
}

function movt(c: Core, i: Inst): void {
  c.r[i.rd] = (c.r[i.rd] & 0xffff) | (i.imm << 16);
}

/** Fast forms of the most frequent cases (no flags, no shift, Rd not SP), picked at decode. */
function addImm(c: Core, i: Inst): void {
  c.r[i.rd] = (c.r[i.rn] + i.imm) | 0;
}

function cmpImm(c: Core, i: Inst): void {
  addFlags(c.state, c.r[i.rn], ~i.imm, 1);
}

function movReg(c: Core, i: Inst): void {
  c.r[i.rd] = c.r[i.rm];
}

function addReg(c: Core, i: Inst): void {
  c.r[i.rd] = (c.r[i.rn] + c.r[i.rm]) | 0;
}

/** Replaces a general exec with a fast form when the instruction fits one. */
function specialize(i: Inst): void {
  if (i.rd === 13 || i.rd === 15) return;
  if (i.exec === dpImm) {
    if (i.op === Op.CMP) i.exec = cmpImm;
    else if (i.setflags) return;
    else if (i.op === Op.ADD) i.exec = addImm;
    else if (i.op === Op.SUB) {
      i.exec = addImm;
      i.imm = -i.imm | 0;
    } else if (i.op === Op.MOV) i.exec = movImm;
  } else if (i.exec === dpReg && !i.setflags && i.shiftN === 0 && i.shiftType === 0) {
    if (i.op === Op.MOV) i.exec = movReg;
    else if (i.op === Op.ADD) i.exec = addReg;
  }
}

/** The register a 32-bit data-processing encoding may not name (A5.3: 13 and 15 are UNPREDICTABLE). */
function bad(r: number): boolean {
  return r === 13 || r === 15;
}

function alu(i: Inst, op: Op, rd: number, rn: number, setflags: number): void {
  i.op = op;
  i.rd = rd;
  i.rn = rn;
  i.setflags = setflags;
  i.cycles = CYCLES.alu;
}

function outsideIt(i: Inst): number {
  return i.itBefore === 0 ? 1 : 0;
}

function imm16(i: Inst, op: Op, rd: number, rn: number, imm: number, setflags: number): void {
  alu(i, op, rd, rn, setflags);
  i.exec = dpImm;
  i.imm = imm;
}

function reg16(i: Inst, op: Op, rd: number, rn: number, rm: number, setflags: number): void {
  alu(i, op, rd, rn, setflags);
  i.exec = dpReg;
  i.rm = rm;
}

/** The 16-bit register data-processing group, by its opcode field (A5.2.2). */
function dp16(f: Fields, i: Inst): void {
  const rdn = f.d;
  const rm = f.m;
  const s = outsideIt(i);
  const shiftByReg = (type: number): void => {
    alu(i, Op.MOV, rdn, 0, s);
    i.exec = dpRegReg;
    i.rm = rdn;
    i.ra = rm;
    i.shiftType = type;
  };
  switch (f.o) {
    case 0: reg16(i, Op.AND, rdn, rdn, rm, s); break;
    case 1: reg16(i, Op.EOR, rdn, rdn, rm, s); break;
    case 2: shiftByReg(0); break;
    case 3: shiftByReg(1); break;
    case 4: shiftByReg(2); break;
    case 5: reg16(i, Op.ADC, rdn, rdn, rm, s); break;
    case 6: reg16(i, Op.SBC, rdn, rdn, rm, s); break;
    case 7: shiftByReg(3); break;
    case 8: reg16(i, Op.TST, 0, rdn, rm, 1); break;
    case 9: imm16(i, Op.RSB, rdn, rm, 0, s); break;
    case 10: reg16(i, Op.CMP, 0, rdn, rm, 1); break;
    case 11: reg16(i, Op.CMN, 0, rdn, rm, 1); break;
    case 12: reg16(i, Op.ORR, rdn, rdn, rm, s); break;
    case 13: return; // MUL is in multiply.ts
    case 14: reg16(i, Op.BIC, rdn, rdn, rm, s); break;
    default: reg16(i, Op.MVN, rdn, 0, rm, s); break;
  }
}

/** The opcodes of the 32-bit modified-immediate and shifted-register groups (A5.3.1, A5.3.11). */
function op32(f: Fields, i: Inst): boolean {
  const { o, d, n, S } = f;
  const cmp = d === 15 && S === 1;
  switch (o) {
    case 0: alu(i, cmp ? Op.TST : Op.AND, d, n, S); break;
    case 1: alu(i, Op.BIC, d, n, S); break;
    case 2: alu(i, n === 15 ? Op.MOV : Op.ORR, d, n, S); break;
    case 3: alu(i, n === 15 ? Op.MVN : Op.ORN, d, n, S); break;
    case 4: alu(i, cmp ? Op.TEQ : Op.EOR, d, n, S); break;
    case 8: alu(i, cmp ? Op.CMN : Op.ADD, d, n, S); break;
    case 10: alu(i, Op.ADC, d, n, S); break;
    case 11: alu(i, Op.SBC, d, n, S); break;
    case 13: alu(i, cmp ? Op.CMP : Op.SUB, d, n, S); break;
    case 14: alu(i, Op.RSB, d, n, S); break;
    default: return false;
  }
  const compare = i.op >= Op.TST;
  const move = i.op === Op.MOV || i.op === Op.MVN;
  const sp = (i.op === Op.ADD || i.op === Op.SUB || i.op === Op.CMN || i.op === Op.CMP) && n === 13;
  if (compare ? d !== 15 && S === 0 : bad(d) && !(d === 13 && sp)) return false;
  if (!move && n === 15) return false;
  return true;
}

const GENERAL: Encoding[] = [
  // 16-bit: shift by immediate, add/subtract, move/compare/add/subtract immediate (A5.2.1)
  enc('000 tt iiiii mmm ddd', (f, i) => {
    if (f.t === 3) return;
    const sh = decodeImmShift(f.t, f.i);
    reg16(i, Op.MOV, f.d, 0, f.m, outsideIt(i));
    i.shiftType = sh.type;
    i.shiftN = sh.n;
  }),
  enc('000110 o mmm nnn ddd', (f, i) => reg16(i, f.o ? Op.SUB : Op.ADD, f.d, f.n, f.m, outsideIt(i))),
  enc('000111 o iii nnn ddd', (f, i) => imm16(i, f.o ? Op.SUB : Op.ADD, f.d, f.n, f.i, outsideIt(i))),
  enc('00100 ddd iiiiiiii', (f, i) => imm16(i, Op.MOV, f.d, 0, f.i, outsideIt(i))),
  enc('00101 nnn iiiiiiii', (f, i) => imm16(i, Op.CMP, 0, f.n, f.i, 1)),
  enc('0011 o ddd iiiiiiii', (f, i) => imm16(i, f.o ? Op.SUB : Op.ADD, f.d, f.d, f.i, outsideIt(i))),
  enc('010000 oooo mmm ddd', dp16),
  // special data instructions (A5.2.3): high registers, no flags except CMP
  enc('010001 00 D mmmm ddd', (f, i) => {
    const rd = (f.D << 3) | f.d;
    if (rd === 15 && f.m === 15) return;
    reg16(i, Op.ADD, rd, rd, f.m, 0);
    if (rd === 15) {
      i.exec = dpToPc;
      i.rn = 15;
      i.endsBlock = true;
      i.cycles = CYCLES.branch;
    }
  }),
  enc('010001 01 N mmmm nnn', (f, i) => {
    const rn = (f.N << 3) | f.n;
    if ((rn < 8 && f.m < 8) || rn === 15 || f.m === 15) return;
    reg16(i, Op.CMP, 0, rn, f.m, 1);
  }),
  enc('010001 10 D mmmm ddd', (f, i) => {
    const rd = (f.D << 3) | f.d;
    reg16(i, Op.MOV, rd, 0, f.m, 0);
    if (rd === 15) {
      i.exec = dpToPc;
      i.endsBlock = true;
      i.cycles = CYCLES.branch;
    }
  }),
  // ADR, ADD Rd, SP, #imm, ADD/SUB SP, SP, #imm
  enc('10100 ddd iiiiiiii', (f, i) => {
    alu(i, Op.MOV, f.d, 0, 0);
    i.exec = movImm;
    i.imm = ((i.addr + 4) & ~3) + f.i * 4;
  }),
  enc('10101 ddd iiiiiiii', (f, i) => imm16(i, Op.ADD, f.d, 13, f.i * 4, 0)),
  enc('10110000 o iiiiiii', (f, i) => imm16(i, f.o ? Op.SUB : Op.ADD, 13, 13, f.i * 4, 0)),

  // 32-bit: modified immediate (A5.3.1)
  enc('11110 i 0 oooo S nnnn 0 iii dddd iiiiiiii', (f, i) => {
    if (!op32(f, i)) return;
    if (expandImmUnpredictable(f.i)) return;
    i.exec = dpImm;
    i.imm = thumbExpandImmC(f.i);
    const logical = i.op <= Op.EOR || i.op >= Op.MOV && i.op <= Op.TEQ;
    i.immCarry = logical ? carryOut : -1;
  }),
  // plain binary immediate (A5.3.3): ADDW/SUBW (ADR when Rn is PC), MOVW, MOVT
  enc('11110 i 10 o 0 o 0 nnnn 0 iii dddd iiiiiiii', (f, i) => {
    if (f.o === 1 || f.o === 2) return;
    const sub = f.o === 3;
    if (bad(f.d) && !(f.d === 13 && f.n === 13)) return;
    if (f.n === 15) {
      alu(i, Op.MOV, f.d, 0, 0);
      i.exec = movImm;
      const base = (i.addr + 4) & ~3;
      i.imm = sub ? (base - f.i) | 0 : (base + f.i) | 0;
      return;
    }
    imm16(i, sub ? Op.SUB : Op.ADD, f.d, f.n, f.i, 0);
  }),
  enc('11110 a 10 t 1 0 0 bbbb 0 ccc dddd eeeeeeee', (f, i) => {
    if (bad(f.d)) return;
    alu(i, Op.MOV, f.d, 0, 0);
    const imm = (f.b << 12) | (f.a << 11) | (f.c << 8) | f.e;
    i.exec = f.t ? movt : movImm;
    i.imm = imm;
  }),
  // shifted register (A5.3.11); opcode 0110 is PKHBT/PKHTB (dsp.ts)
  enc('11101 01 oooo S nnnn 0 aaa dddd bb tt mmmm', (f, i) => {
    if (!op32(f, i)) return;
    if (bad(f.m)) return;
    const sh = decodeImmShift(f.t, (f.a << 2) | f.b);
    i.exec = dpReg;
    i.rm = f.m;
    i.shiftType = sh.type;
    i.shiftN = sh.n;
  }),
  // register-controlled shifts (A5.3.12): MOV Rd, Rn, <shift> Rm
  enc('11111010 0 tt S nnnn 1111 dddd 0000 mmmm', (f, i) => {
    if (bad(f.d) || bad(f.n) || bad(f.m)) return;
    alu(i, Op.MOV, f.d, 0, f.S);
    i.exec = dpRegReg;
    i.rm = f.n;
    i.ra = f.m;
    i.shiftType = f.t;
  }),
];

export const DATA_PROCESSING: Encoding[] = GENERAL.map((e) => ({
  ...e,
  decode: (f, i) => {
    e.decode(f, i);
    specialize(i);
  },
}));
