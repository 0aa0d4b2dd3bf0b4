// Exports of this concern; see assembly/index.ts.
export const ratelimitExports: i32 = 0;
