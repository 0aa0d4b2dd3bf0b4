export function detectXSS(ptr: usize, len: u32): u32 { return 0; }
