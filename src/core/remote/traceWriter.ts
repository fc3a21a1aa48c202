// The remote's log into the trace buffer its table declares (the host shows it as debugfs
// trace0): characters written in a ring, the last byte always NUL, as OpenAMP ports do.
import type { MemoryAccess } from '../soc/memoryAccess';

export class TraceWriter {
  private pos = 0;

  constructor(
    private readonly mem: MemoryAccess,
    private readonly da: number,
    private readonly len: number,
  ) {}

  puts(text: string): void {
    if (this.len < 2) return;
    for (let i = 0; i < text.length; i++) {
      this.mem.write8(this.da + this.pos, text.charCodeAt(i) & 0xff);
      if (++this.pos === this.len - 1) this.pos = 0;
    }
  }
}
