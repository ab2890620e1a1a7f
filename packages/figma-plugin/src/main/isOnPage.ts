import type { HostNode, HostParent } from './host/PluginHost.ts';

/** Whether the node sits (at any depth) on this page. */
export function isOnPage(node: HostNode, page: HostParent): boolean {
  let parent = node.parent;
  while (parent && parent.type !== 'PAGE') parent = parent.parent;
  return parent?.id === page.id;
}
