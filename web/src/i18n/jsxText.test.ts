// Every word a page shows goes through the catalogue: no JSX text, no text-bearing attribute
// and no string child written into a .tsx file in one language.
import ts from "typescript";
import { describe, expect, it } from "vitest";

// Components only: tests and their helpers (test/, testing.tsx) render text of their own.
const SOURCES = import.meta.glob<string>(["../**/*.tsx", "!../**/*.test.tsx", "!../test/**", "!../**/testing.tsx"], {
  query: "?raw",
  import: "default",
  eager: true,
});

// Attributes a person reads or hears.
const TEXT_ATTRIBUTES = new Set([
  "aria-label",
  "aria-description",
  "aria-valuetext",
  "aria-roledescription",
  "title",
  "placeholder",
  "alt",
  "label",
  "legend",
  "hint",
  "empty",
]);

// "file: text" pairs allowed to stay as written (none yet; say why beside any added).
const ALLOWED = new Set<string>([]);

const hasWords = (text: string) => /\p{L}/u.test(text);

export function literalTexts(file: string, source: string): string[] {
  const tree = ts.createSourceFile(file, source, ts.ScriptTarget.Latest, true, ts.ScriptKind.TSX);
  const found: string[] = [];
  const visit = (node: ts.Node) => {
    if (ts.isJsxText(node) && hasWords(node.text)) {
      found.push(node.text.trim().replace(/\s+/g, " "));
    } else if (ts.isJsxAttribute(node) && node.initializer) {
      const name = node.name.getText(tree);
      const value = node.initializer;
      const text = ts.isStringLiteral(value)
        ? value.text
        : ts.isJsxExpression(value) && value.expression && ts.isStringLiteralLike(value.expression)
          ? value.expression.text
          : null;
      if (TEXT_ATTRIBUTES.has(name) && text !== null && hasWords(text)) found.push(`${name}="${text}"`);
    } else if (
      ts.isJsxExpression(node) &&
      node.expression &&
      (ts.isJsxElement(node.parent) || ts.isJsxFragment(node.parent)) &&
      ts.isStringLiteralLike(node.expression) &&
      hasWords(node.expression.text)
    ) {
      found.push(node.expression.text);
    }
    ts.forEachChild(node, visit);
  };
  visit(tree);
  return found.filter((text) => !ALLOWED.has(`${file.replace(/^\.\.\//, "")}: ${text}`));
}

describe("text written into components", () => {
  it("finds the portal's .tsx files", () => {
    expect(Object.keys(SOURCES)).toContain("../components/Layout.tsx");
    expect(Object.keys(SOURCES).length).toBeGreaterThan(20);
  });

  it("is none: every visible text comes from the catalogue", () => {
    const literals = Object.entries(SOURCES).flatMap(([file, source]) =>
      literalTexts(file, source).map((text) => `${file.replace(/^\.\.\//, "")}: ${text}`),
    );
    expect(literals).toEqual([]);
  });

  it("would be found as JSX text, a text attribute or a string child", () => {
    const source = `export const A = () => (
      <section aria-label="Main" className="x">
        Hello <b>{"World"}</b> {t("ok")} · {count}
        <input placeholder={"Type here"} type="text" />
      </section>
    );`;
    expect(literalTexts("../Example.tsx", source)).toEqual(['aria-label="Main"', "Hello", "World", 'placeholder="Type here"']);
  });
});
