// How the faces print a line the simulator itself says about a remote core (a stand-in runs, the
// firmware's core locked up, an unmodelled peripheral was touched), next to what the firmware
// printed. The console shows the firmware's bytes as they came, so a mark must say whose a line is:
// `[simulator]` names its author plainly, no firmware prints it by convention, and it is not a
// kernel log line (those have their own channel and never carry these).
export const SIMULATOR_MARK = '[simulator]';

/** One notice as a line of text; `core` names the core where the surface mixes several. */
export function simulatorLine(text: string, core?: string): string {
  return `${SIMULATOR_MARK} ${core ? `${core}: ` : ''}${text}\n`;
}
