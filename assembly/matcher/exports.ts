// Exports of this concern; see assembly/index.ts.
export const matcherExports: i32 = 0;
