// The kernel's samples/rpmsg/rpmsg_client_sample: on a `rpmsg-client-sample` channel it says
// "hello world!", answers each message until the 100th, then says goodbye.
import type { RpmsgDriver } from './rpmsgDriver';
import type { RpmsgHost } from './rpmsgHost';

const MSG = new TextEncoder().encode('hello world!');
const COUNT = 100;

export function rpmsgClientSampleDriver(host: RpmsgHost): RpmsgDriver {
  return {
    name: 'rpmsg_client_sample',
    idTable: ['rpmsg-client-sample'],
    hasCallback: true,
    probe(rpdev) {
      const log = host.log.device(rpdev.logName);
      const send = (): number => rpdev.bus.send(rpdev, rpdev.ept!.addr, rpdev.dst, MSG, 0, MSG.length, true, (rc) => {
        if (rc) log.err(`rpmsg_send failed: ${rc}`);
      });
      log.info(`new channel: 0x${rpdev.src.toString(16)} -> 0x${rpdev.dst.toString(16)}!`);
      let rxCount = 0;
      const first = send();
      if (first < 0) log.err(`rpmsg_send failed: ${first}`);
      return {
        receive: (_data, _len, src) => {
          log.info(`incoming msg ${++rxCount} (src: 0x${src.toString(16)})`);
          if (rxCount >= COUNT) {
            log.info('goodbye!');
            return;
          }
          const rc = send();
          if (rc < 0) log.err(`rpmsg_send failed: ${rc}`);
        },
        remove: () => log.info('rpmsg sample client driver is removed'),
      };
    },
  };
}
