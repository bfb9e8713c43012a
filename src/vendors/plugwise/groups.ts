/**
 * Groups (switching, report, pumping): members that exist as entities, group sensors from the
 * group's own logs; a switching/report group's relay is on when any member's relay is on.
 */
import { GROUP_TYPES } from './tables';
import type { BuildContext, RawEntity } from './types';
import { attr, findAll, kidText, type XmlNode } from './xml';

/** Group entities (python-plugwise: P1 and Anna have none). */
export function collectGroups(ctx: BuildContext): Map<string, RawEntity> {
  const groups = new Map<string, RawEntity>();
  if (ctx.facts.type === 'power' || ctx.facts.anna) return groups;
  for (const group of ctx.groupList) {
    const type = kidText(group, 'type') ?? '';
    if (!GROUP_TYPES.has(type)) continue;
    const members = findAll(group, ['appliances', 'appliance'])
      .map((a: XmlNode) => attr(a, 'id') as string)
      .filter((id) => ctx.entities.has(id)); // orphaned members (Stretch) are left out
    if (members.length === 0) continue;
    groups.set(attr(group, 'id') as string, {
      dev_class: type,
      model: 'Group',
      name: kidText(group, 'name'),
      members,
      vendor: 'Plugwise',
    });
  }
  return groups;
}
