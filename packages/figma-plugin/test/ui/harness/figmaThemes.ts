/**
 * The colour tokens Figma injects into a plugin iframe with `themeColors: true` (those the panel uses),
 * with the class it puts on <html>. Dark: the values listed in 0N0K0/figmaPlugin-DesignSystemProcessor,
 * documentation/figma-css-variables.md (commit d84e8b5), read from Figma's dark theme. Light: Figma's
 * UI3 light theme values, where border-strong is the near-black #2c2c2c.
 */
export const FIGMA_THEMES = {
  light: {
    className: 'figma-light',
    tokens: {
      bg: '#ffffff', 'bg-brand': '#0d99ff', 'bg-brand-hover': '#007be5', 'bg-brand-tertiary': '#e5f4ff', 'bg-danger-tertiary': '#fff1ee',
      'bg-disabled': '#d9d9d9', 'bg-hover': '#f5f5f5', 'bg-secondary': '#f5f5f5', 'bg-success-tertiary': '#ebffee', 'bg-tertiary': '#e6e6e6',
      border: '#e6e6e6', 'border-danger-strong': '#dc3412', 'border-selected': '#0d99ff', 'border-strong': '#2c2c2c',
      icon: '#000000e5', 'icon-danger': '#f24822', 'icon-secondary': '#00000080', 'icon-success': '#14ae5c', 'icon-warning': '#ffcd29',
      text: '#000000e5', 'text-brand': '#007be5', 'text-danger': '#dc3412', 'text-disabled': '#0000004d', 'text-onbrand': '#ffffff',
      'text-secondary': '#00000080', 'text-success': '#009951', 'text-tertiary': '#0000004d',
    },
  },
  dark: {
    className: 'figma-dark',
    tokens: {
      bg: '#2c2c2c', 'bg-brand': '#0c8ce9', 'bg-brand-hover': '#0a6dc2', 'bg-brand-tertiary': '#394360', 'bg-danger-tertiary': '#60332a',
      'bg-disabled': '#757575', 'bg-hover': '#383838', 'bg-secondary': '#383838', 'bg-success-tertiary': '#2f483c', 'bg-tertiary': '#444444',
      border: '#444444', 'border-danger-strong': '#fca397', 'border-selected': '#0c8ce9', 'border-strong': '#ffffffe6',
      icon: '#ffffff', 'icon-danger': '#fca397', 'icon-secondary': '#ffffffb3', 'icon-success': '#7cd797', 'icon-warning': '#f7d15f',
      text: '#ffffff', 'text-brand': '#7cc4f8', 'text-danger': '#fca397', 'text-disabled': '#ffffff66', 'text-onbrand': '#ffffff',
      'text-secondary': '#ffffffb3', 'text-success': '#7cd797', 'text-tertiary': '#ffffff66',
    },
  },
} as const;

export type FigmaThemeName = keyof typeof FIGMA_THEMES;

/** What Figma puts into the plugin's document: the tokens on :root and the theme class on <html>. */
export function themeInjection(theme: FigmaThemeName): string {
  const { className, tokens } = FIGMA_THEMES[theme];
  const declarations = Object.entries(tokens).map(([name, value]) => `--figma-color-${name}: ${value};`).join(' ');
  return `<style>:root { ${declarations} }</style><script>document.documentElement.classList.add('${className}')</script>`;
}
