import type { HostNode, HostPage } from './host/PluginHost.ts';

/**
 * Loads the page a layer is on (`documentAccess: dynamic-page`): once the user has moved to another page
 * mid-run, the content's page needs loadAsync() before its children can be read or changed.
 */
export async function loadPageOf(node: HostNode): Promise<void> {
  let parent = node.parent;
  while (parent && parent.type !== 'PAGE') parent = parent.parent;
  if (parent) await (parent as HostPage).loadAsync();
}
