// The platform driver a board's core names.
import type { CoreDesc } from '../../soc/board';
import type { RprocDriverOps } from '../rprocDriver';
import { K3R5Rproc } from './k3R5Rproc';
import { Stm32Rproc } from './stm32Rproc';
import { ZynqmpR5Rproc } from './zynqmpR5Rproc';

export function driverFor(core: CoreDesc, earlyBooted: boolean): RprocDriverOps {
  switch (core.driver) {
    case 'stm32_rproc':
      return new Stm32Rproc();
    case 'k3_r5_rproc':
      return new K3R5Rproc(earlyBooted);
    case 'zynqmp_r5_remoteproc':
      return new ZynqmpR5Rproc();
  }
}
