const SVG = 'http://www.w3.org/2000/svg';

/** A 12 px stroke icon from path data, in the text colour. */
function icon(d: string, label?: string): SVGSVGElement {
  const svg = document.createElementNS(SVG, 'svg');
  svg.setAttribute('viewBox', '0 0 12 12');
  svg.setAttribute('width', '12');
  svg.setAttribute('height', '12');
  svg.setAttribute('class', 'icon');
  if (label) svg.setAttribute('aria-label', label);
  else svg.setAttribute('aria-hidden', 'true');
  const path = document.createElementNS(SVG, 'path');
  path.setAttribute('d', d);
  path.setAttribute('fill', 'none');
  path.setAttribute('stroke', 'currentColor');
  path.setAttribute('stroke-width', '1.2');
  path.setAttribute('stroke-linecap', 'round');
  svg.append(path);
  return svg;
}

export const eyeIcon = () => icon('M1 6c1.4-2.4 3-3.5 5-3.5S9.6 3.6 11 6c-1.4 2.4-3 3.5-5 3.5S2.4 8.4 1 6zM6 7.4a1.4 1.4 0 1 0 0-2.8 1.4 1.4 0 0 0 0 2.8z', 'visible');
export const eyeOffIcon = () => icon('M1 6c1.4-2.4 3-3.5 5-3.5S9.6 3.6 11 6c-1.4 2.4-3 3.5-5 3.5S2.4 8.4 1 6zM1.5 10.5l9-9', 'hidden');
export const refreshIcon = () => icon('M10 6a4 4 0 1 1-1.2-2.8M10 1.5v2.2H7.8');
export const chevronIcon = () => icon('M3 4.5L6 7.5 9 4.5');
export const folderIcon = () => icon('M1.5 3h3l1 1h5v5.5h-9z');
