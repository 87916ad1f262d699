/// <reference lib="dom" />
/**
 * Making elements in the browser, for the playground's and the training panel's scripts: every
 * text goes in as text (`textContent`, attribute values), never as markup.
 *
 * @module
 */

/** What an element may be given as a child: a node, text, or nothing. */
export type Child = Node | string | null | undefined | false;

/**
 * An element with attributes (`text` sets its text) and children; `null`, `undefined` and
 * `false` attributes are left out, `true` ones are set empty.
 *
 * @param tag The tag.
 * @param props The attributes, and `text`.
 * @param children Nodes or text, in order.
 * @returns The element.
 */
export function h<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  props: Record<string, string | number | boolean | null | undefined> = {},
  ...children: Child[]
): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  for (const [key, value] of Object.entries(props)) {
    if (value === null || value === undefined || value === false) continue;
    if (key === "text") el.textContent = String(value);
    else el.setAttribute(key, value === true ? "" : String(value));
  }
  for (const child of children) if (child) el.append(child);
  return el;
}
