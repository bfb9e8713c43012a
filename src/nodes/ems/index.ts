import type { NodeAPI } from '../common/red';
import { registerEmsAdmin } from './admin';
import { registerEmsHistory } from './history';
import { registerEmsServer } from './server';

/** The Carlo Gavazzi EMS node set: ems-server (config), ems-history. */
export default function registerEms(RED: NodeAPI): void {
  registerEmsServer(RED);
  registerEmsHistory(RED);
  registerEmsAdmin(RED);
}
