// rpmsg_ns: the name service on address 53. The remote announces (or withdraws) a channel by
// name and address; the host creates (or releases) the matching rpmsg device.
import { KernelError } from '../kernel/errno';
import type { RpmsgDriver } from './rpmsgDriver';
import { RPMSG_ADDR_ANY, RPMSG_NS_ADDR, RPMSG_NS_DESTROY, RPMSG_NS_MSG_SIZE, decodeNsMessage } from './rpmsgWire';

export function rpmsgNsDriver(): RpmsgDriver {
  return {
    name: 'rpmsg_ns',
    idTable: [],
    hasCallback: false,
    probe(rpdev) {
      const bus = rpdev.bus;
      const ept = bus.createEndpoint(
        rpdev,
        (data, len) => {
          if (len !== RPMSG_NS_MSG_SIZE) {
            bus.log.err(`malformed ns msg (${len})`);
            return;
          }
          const msg = decodeNsMessage(data);
          const destroy = (msg.flags & RPMSG_NS_DESTROY) !== 0;
          bus.log.info(`${destroy ? 'destroy' : 'creat'}ing channel ${msg.name} addr 0x${msg.addr.toString(16)}`);
          if (destroy) {
            const ret = bus.releaseChannel(msg.name, RPMSG_ADDR_ANY, msg.addr);
            if (ret) bus.log.err(`rpmsg_destroy_channel failed: ${ret}`);
          } else if (!bus.createChannel(msg.name, RPMSG_ADDR_ANY, msg.addr)) {
            bus.log.err('rpmsg_create_channel failed');
          }
        },
        RPMSG_NS_ADDR,
      );
      if (!ept) {
        rpdev.bus.host.log.device(rpdev.logName).err('failed to create the ns ept');
        throw new KernelError('ENOMEM');
      }
      return { remove: () => bus.destroyEndpoint(ept) };
    },
  };
}
