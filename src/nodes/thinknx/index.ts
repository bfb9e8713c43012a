import type { NodeAPI } from '../common/red';
import { registerThinknxAdmin } from './admin';
import { registerThinknxControl } from './control';
import { registerThinknxServer } from './server';

/** The Thinknx node set: thinknx-server (config), thinknx-control. */
export default function registerThinknx(RED: NodeAPI): void {
  registerThinknxServer(RED);
  registerThinknxControl(RED);
  registerThinknxAdmin(RED);
}
