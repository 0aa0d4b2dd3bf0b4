// Exports of this concern; see assembly/index.ts.
export const transformsExports: i32 = 0;
