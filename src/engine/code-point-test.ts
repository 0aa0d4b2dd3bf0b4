/**
 * RegExp.test that only accepts matches starting on a code point boundary.
 *
 * V8 can report a match for a `u`-flag pattern that begins with lookaround at a position
 * between the two halves of a surrogate pair — `/(?<!\b)(?![^])/u` matches "😀a" at index 1 —
 * a position that `u` semantics do not have (the Wasm automaton, reading UTF-8 bytes, never
 * sees it either). Host confirmation of prefilter-mode rules uses this instead of `test`, so
 * such a match does not confirm a rule. Cost: one `exec` in the usual case; each skipped
 * position moves the search on by one unit, so the loop ends.
 *
 * `re` must have the `g` flag (its lastIndex is used and left at an arbitrary value).
 */
export function testAtCodePoints(re: RegExp, text: string): boolean {
  re.lastIndex = 0;
  for (;;) {
    const m = re.exec(text);
    if (m === null) return false;
    const i = m.index;
    const midPair = re.unicode && i > 0 && i < text.length &&
      (text.charCodeAt(i - 1) & 0xfc00) === 0xd800 && (text.charCodeAt(i) & 0xfc00) === 0xdc00;
    if (!midPair) return true;
    re.lastIndex = i + 1;
  }
}
