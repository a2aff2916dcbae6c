/**
 * A tooltip's content as text. Leaflet reads a string given to `bindTooltip` as HTML, so a name an
 * admin typed (`<img onerror=…>`) would run in every visitor's page; an element's text never does.
 */
export function plainTooltip(text: string): HTMLElement {
  const el = document.createElement("span");
  el.textContent = text;
  return el;
}
