/**
 * `npm start`: a Smile P1 (firmware 4.4.2, the p1v4_442_single dump) on 127.0.0.1:18085, beside the demo
 * Adam: the plugwise-history examples read a smart meter's electricity per tariff from it.
 */
import type { DemoHandle } from '../../scripts/demo';
import { PlugwiseSimulator, demo as adamDemo } from './plugwise';

export const PLUGWISE_P1_DEMO_PORT = 18085;
export const demo = {
  configType: 'plugwise-gateway',
  /** The config node it stands in for (the Adam stands in for every other plugwise-gateway). */
  configId: 'plugwise-demo-p1',
  credentials: adamDemo.credentials,
  async start(port = PLUGWISE_P1_DEMO_PORT): Promise<DemoHandle> {
    const sim = new PlugwiseSimulator({ fixture: 'p1v4_442_single', password: adamDemo.credentials.password });
    await sim.start(port);
    return { port: sim.port, stop: () => sim.stop(), requests: () => sim.count(), setFault: (f) => sim.server.setFault(f) };
  },
};
