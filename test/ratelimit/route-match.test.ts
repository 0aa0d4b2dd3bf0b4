import { describe, expect, it } from "vitest";
import { compileMatch } from "../../src/ratelimit/route-match";

describe("route matching", () => {
  it("prefixes are segment-aware", () => {
    const m = compileMatch({ route: "/api" });
    expect([m("GET", "/api"), m("GET", "/api/x"), m("GET", "/apix"), m("GET", "/")]).toEqual([true, true, false, false]);
    expect(compileMatch({ route: "/api/" })("GET", "/api")).toBe(true);
    expect(compileMatch({ route: "/" })("GET", "/anything")).toBe(true);
  });

  it("globs: * within a segment, ** across, everything else literal", () => {
    const m = compileMatch({ route: "/a.b/*/c" });
    expect([m("GET", "/a.b/x/c"), m("GET", "/axb/x/c"), m("GET", "/a.b/x/y/c")]).toEqual([true, false, false]);
    const deep = compileMatch({ route: "/v1/**" });
    expect([deep("GET", "/v1/a/b/c"), deep("GET", "/v2/a")]).toEqual([true, false]);
    expect(compileMatch({ route: "/(x)+[y]/*" })("GET", "/(x)+[y]/z")).toBe(true);
  });

  it("RegExps with g/y flags give the same answer every time", () => {
    const m = compileMatch({ route: /^\/login/g });
    expect([m("GET", "/login"), m("GET", "/login"), m("GET", "/login")]).toEqual([true, true, true]);
  });

  it("methods match case-insensitively; no match means every request", () => {
    const m = compileMatch({ route: ["/a", "/b"], methods: ["post"] });
    expect([m("POST", "/a"), m("post", "/b"), m("GET", "/a"), m("POST", "/c")]).toEqual([true, true, false, false]);
    expect(compileMatch(undefined)("DELETE", "/x")).toBe(true);
  });
});
