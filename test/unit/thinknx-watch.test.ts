/**
 * Which Thinknx statuses can be watched and how a stored watch is read: the rules the runtime and the
 * editor's validator share, and the node's help listing the same capabilities.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CAPABILITIES, findCapability } from '../../src/vendors/thinknx/controllers';
import { watchKey, watchProblem, watchable } from '../../src/vendors/thinknx/watch';

describe('thinknx watch rules', () => {
  it('only capabilities with a status controller can be watched', () => {
    assert.deepEqual(watchable(), CAPABILITIES.filter((c) => c.get).map((c) => c.name));
    for (const name of ['updown', 'stop', 'blindstep', 'scene', 'trigger', 'knx']) {
      assert.match(watchProblem('5', name, 'x') ?? '', new RegExp(`^cannot be used with "${name}"`), name);
    }
    for (const name of watchable()) assert.equal(watchProblem('5', name, 'dev-1'), undefined, name);
  });

  it('the interval is seconds, at least 1 and at most a day', () => {
    assert.equal(watchProblem(1, 'power', 'g'), undefined);
    assert.equal(watchProblem('2.5', 'power', 'g'), undefined);
    assert.equal(watchProblem('86400', 'power', 'g'), undefined);
    assert.match(watchProblem('0.5', 'power', 'g') ?? '', /^is "0.5", not at least 1/);
    assert.match(watchProblem('86401', 'power', 'g') ?? '', /not at most 86400/);
    assert.match(watchProblem('1e3', 'power', 'g') ?? '', /not a number/);
    assert.match(watchProblem(true, 'power', 'g') ?? '', /not a number/);
  });

  it('a device status needs the GUID in the node; the server status needs none', () => {
    assert.match(watchProblem('5', 'power', '') ?? '', /needs the device GUID/);
    assert.match(watchProblem('5', 'power', '  ') ?? '', /needs the device GUID/);
    assert.equal(watchProblem('5', 'serverStatus', ''), undefined);
  });

  it('nodes share a poll per capability and GUID', () => {
    assert.equal(watchKey(findCapability('power')!, 'kitchen-light'), 'power/kitchen-light');
    assert.notEqual(watchKey(findCapability('power')!, 'a'), watchKey(findCapability('powerlevel')!, 'a'));
    assert.equal(watchKey(findCapability('serverStatus')!, undefined), 'serverStatus');
  });

  it('the node\'s help lists the capabilities that can be watched, and those that cannot', () => {
    const help = readFileSync(join(__dirname, '..', '..', 'src', 'nodes', 'thinknx', 'editor', 'thinknx-control.help.html'), 'utf8');
    const section = help.slice(help.indexOf('<h3>Watch'), help.indexOf('<h3>', help.indexOf('<h3>Watch') + 1));
    const [can, rest] = section.split('The others');
    const cannot = rest?.slice(0, rest.indexOf('</p>'));
    const names = (text: string | undefined): string[] => [...(text ?? '').matchAll(/<code>([A-Za-z]+)<\/code>/g)].map((m) => m[1]!).filter((n) => findCapability(n));
    assert.deepEqual(names(can), watchable());
    assert.deepEqual(names(cannot).sort(), CAPABILITIES.filter((c) => !c.get).map((c) => c.name).sort());
  });
});
