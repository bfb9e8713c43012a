import type { NodeAPI } from '../common/red';
import { registerPlugwiseAdmin } from './admin';
import { registerPlugwiseControl } from './control';
import { registerPlugwiseGateway } from './gateway';
import { registerPlugwiseHistory } from './history';
import { registerPlugwiseIn } from './in';

/** The Plugwise node set: plugwise-gateway (config), plugwise-in, plugwise-control, plugwise-history. */
export default function registerPlugwise(RED: NodeAPI): void {
  registerPlugwiseGateway(RED);
  registerPlugwiseIn(RED, (msg) => RED.util.cloneMessage(msg));
  registerPlugwiseControl(RED);
  registerPlugwiseHistory(RED);
  registerPlugwiseAdmin(RED);
}
