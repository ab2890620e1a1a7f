/** The few 16 px line icons the panel uses, drawn like Figma's own (1 px strokes, currentColor). */
const icon = (paths: string) => (): SVGSVGElement => {
  const element = document.createElementNS('http://www.w3.org/2000/svg', 'svg');
  element.setAttribute('viewBox', '0 0 16 16');
  element.setAttribute('width', '16');
  element.setAttribute('height', '16');
  element.setAttribute('aria-hidden', 'true');
  element.innerHTML = paths;
  return element;
};

export const swapIcon = icon('<path d="M5 3v9M3 10l2 2 2-2M11 13V4M9 6l2-2 2 2" fill="none" stroke="currentColor"/>');
export const plusIcon = icon('<path d="M8 3.5v9M3.5 8h9" fill="none" stroke="currentColor"/>');
export const closeIcon = icon('<path d="M4.5 4.5l7 7M11.5 4.5l-7 7" fill="none" stroke="currentColor"/>');
export const chevronIcon = icon('<path d="M6 4.5L9.5 8 6 11.5" fill="none" stroke="currentColor"/>');
