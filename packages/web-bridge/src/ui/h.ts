type Child = Node | string | false | null | undefined;
type Props = Record<string, unknown> & { class?: string; dataset?: Record<string, string> };

/**
 * Creates an element: `h('button', { class: 'primary', onclick }, 'Stylize')`. Props starting with "on"
 * are listeners, `dataset` sets data-*, aria-*, role, for and title are attributes, the rest properties.
 */
export function h<K extends keyof HTMLElementTagNameMap>(tag: K, props: Props | null = null, ...children: Child[]): HTMLElementTagNameMap[K] {
  const element = document.createElement(tag);
  for (const [key, value] of Object.entries(props ?? {})) {
    if (value === undefined) continue;
    if (key === 'class') element.className = String(value);
    else if (key === 'dataset') Object.assign(element.dataset, value);
    else if (key.startsWith('on')) element.addEventListener(key.slice(2), value as EventListener);
    else if (key.startsWith('aria-') || key === 'role' || key === 'for' || key === 'title') element.setAttribute(key, String(value));
    else (element as unknown as Record<string, unknown>)[key] = value;
  }
  for (const child of children) if (child !== false && child !== null && child !== undefined) element.append(child);
  return element;
}
