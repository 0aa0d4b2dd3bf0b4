// Exports of this concern; see assembly/index.ts.
export const detectorsExports: i32 = 0;
