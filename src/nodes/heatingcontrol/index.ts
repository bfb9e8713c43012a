import type { NodeAPI } from '../common/red';
import { registerHeatingAccount } from './account';
import { registerHeatingAdmin } from './admin';
import { registerHeatingCommand } from './command';

/** The HeatingControl node set: heating-account (config), heating-command. */
export default function registerHeatingControl(RED: NodeAPI): void {
  registerHeatingAccount(RED);
  registerHeatingCommand(RED);
  registerHeatingAdmin(RED);
}
