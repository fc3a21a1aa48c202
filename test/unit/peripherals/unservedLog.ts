// The unmodelled-access reports of a peripheral under test, kept for assertions.
import { UnmodelledAccesses, type UnmodelledPolicy, type Unserved } from '../../../src/core/soc/peripherals/unmodelled';

export function unservedLog(name: string, base: number, policy: UnmodelledPolicy = 'ignore', registerName?: (offset: number) => string | undefined): { unserved: Unserved; reports: string[] } {
  const reports: string[] = [];
  return { unserved: new UnmodelledAccesses(policy, (l) => reports.push(l)).forPeripheral(name, base, registerName), reports };
}
