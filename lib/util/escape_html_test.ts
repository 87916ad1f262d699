import assert from "node:assert/strict";
import { DOMParser } from "linkedom";
import { escapeHtml } from "./escape_html.ts";

Deno.test("escapeHtml: a parser reads back exactly the text, in content and in attributes", () => {
  const texts = [`<script>alert("x")</script>`, `a & b 'c' "d" <e>`, "&amp; stays text", "plain"];
  for (const text of texts) {
    const page = `<p title="${escapeHtml(text)}" data-x='${escapeHtml(text)}'>${
      escapeHtml(text)
    }</p>`;
    const p = new DOMParser().parseFromString(page, "text/html").querySelector("p");
    assert.equal(p.textContent, text);
    assert.equal(p.getAttribute("title"), text);
    assert.equal(p.getAttribute("data-x"), text);
    assert.equal(p.children.length, 0, `${text}: no element made of it`);
  }
  assert.equal(escapeHtml(""), "");
});
