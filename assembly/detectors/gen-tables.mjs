#!/usr/bin/env node
// Generates the detectors' word tables (sql-words.ts, html-words.ts) as perfect hash tables
// in `memory.data` (hash and displace, see "table writer" below), so the hot path looks a
// word up with one pass over its lower-cased bytes, one slot and one comparison, with no
// AssemblyScript strings, maps or allocation at run time.
// Run: `node assembly/detectors/gen-tables.mjs`.
//
// Entry layout in the blob: [len u8][type u8][sub u8][func u8][bytes...].
import { writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));

// ---- SQL ------------------------------------------------------------------------------
// Token types (one ASCII char each, they make the fingerprint):
//   E statement verb, U set operator, & logic, = comparison, k other keyword,
//   1 literal value (null/true/false), n name, o operator, 0 = ignored word (noise).
// Sub ids name the keywords the decision model looks at individually.
const SUB = {
  NONE: 0, SELECT: 1, DROP: 2, DECLARE: 3, EXEC: 4, WAITFOR: 5, SHUTDOWN: 6, UNION: 7,
  FROM: 8, WHERE: 9, ORDER: 10, GROUP: 11, BY: 12, HAVING: 13, LIMIT: 14, INTO: 15,
  OUTFILE: 16, PROCEDURE: 17, DELAY: 18, CASE: 19, WHEN: 20, STRONGNAME: 21, AS: 22,
  ORDERBY: 23, GROUPBY: 24, NOT: 25, ALL: 26, VERB: 27, THEN: 28, ELSE: 29, END: 30,
  CLAUSEKW: 31, BEGIN: 32, OFFSET: 33, TYPE: 34, CMPWORD: 35,
  // "into outfile" / "into dumpfile" merged into one token by the tokenizer (no word has it).
  INTO_FILE: 36,
};
// Function kinds: 1 = ordinary SQL function (a value when called), 2 = probe function
// (time delay, metadata, character building: what attackers call first), 3 = strong
// (names no English text or ordinary app value uses).
const F = { NONE: 0, FUNC: 1, PROBE: 2, STRONG: 3 };

const sql = [];
const add = (words, type, sub = 0, func = 0) => {
  for (const w of words.split(/\s+/).filter(Boolean)) sql.push({ w, type, sub, func });
};
add("select", "E", SUB.SELECT);
add("drop", "E", SUB.DROP);
add("declare", "E", SUB.DECLARE);
add("exec execute", "E", SUB.EXEC);
add("waitfor", "E", SUB.WAITFOR);
add("shutdown", "E", SUB.SHUTDOWN);
add("insert update delete create alter truncate grant revoke merge handler rename show describe call copy load", "E", SUB.VERB);
add("begin", "k", SUB.BEGIN);
add("union intersect except", "U", SUB.UNION);
add("and or xor", "&");
add("like rlike regexp glob is in between sounds ilike similar", "=", SUB.CMPWORD);
add("not", "0", SUB.NOT);
add("all distinct distinctrow binary", "0", SUB.ALL);
add("from", "k", SUB.FROM);
add("where", "k", SUB.WHERE);
add("order", "k", SUB.ORDER);
add("group", "k", SUB.GROUP);
add("by", "k", SUB.BY);
add("having", "k", SUB.HAVING);
add("limit", "k", SUB.LIMIT);
add("offset", "k", SUB.OFFSET);
add("into", "k", SUB.INTO);
add("outfile dumpfile infile", "k", SUB.OUTFILE);
add("procedure", "k", SUB.PROCEDURE);
add("delay", "k", SUB.DELAY);
add("case", "k", SUB.CASE);
add("when", "k", SUB.WHEN);
add("then", "k", SUB.THEN);
add("else", "k", SUB.ELSE);
add("end", "k", SUB.END);
add("as", "k", SUB.AS);
add("set values table tables join inner outer cross natural using collate escape returning analyse top fetch rows only nowait exists", "k", SUB.CLAUSEKW);
add("varchar nvarchar int integer bigint smallint signed unsigned decimal numeric nchar varchar2 text", "k", SUB.TYPE);
add("null true false", "1");
add("div mod", "o");
// Catalogue names and system procedures: meaningful only to an attacker.
add(
  "information_schema sysobjects syscolumns sysdatabases sysusers sysibm sqlite_master sqlite_schema " +
    "pg_catalog pg_shadow pg_user pg_database pg_tables msysobjects msysaccessobjects all_tables " +
    "all_tab_columns user_tables user_tab_columns dba_users all_users v$version " +
    "xp_cmdshell xp_regread xp_dirtree xp_fileexist xp_availablemedia sp_executesql sp_oacreate " +
    "sp_oamethod sp_makewebtask sp_addlogin sp_addsrvrolemember sp_configure sp_password sp_execute",
  "n", SUB.STRONGNAME,
);

// Functions. A word here followed by `(` becomes an `f` token; otherwise it keeps the type
// given above (or `n`). Words already listed get their function kind merged.
const func = (words, kind) => {
  for (const w of words.split(/\s+/).filter(Boolean)) {
    const e = sql.find((x) => x.w === w);
    if (e) e.func = kind;
    else sql.push({ w, type: "n", sub: 0, func: kind });
  }
};
func(
  "pg_sleep benchmark load_file extractvalue updatexml utl_inaddr utl_http dbms_pipe dbms_lock " +
    "dbms_xmlgen dbms_utility dbms_java sys_eval sys_exec xp_cmdshell make_set randomblob " +
    "group_concat concat_ws unhex from_base64 load_extension drithsx ctxsys regexp_substring " +
    "user_lock pg_read_file pg_ls_dir lo_import name_const gtid_subset st_latfromgeohash " +
    "json_keys xmltype iif exp_overflow polygon multipoint geometrycollection multipolygon " +
    "linestring multilinestring pg_sleep_for sqlite_version is_srvrolemember " +
    "openrowset opendatasource openquery dbms_export_extension sp_executesql waitfor " +
    "current_database current_schema db_name suser_sname suser_name system_user session_user " +
    "current_user user_name host_name object_name schema_name table_name column_name",
  F.STRONG,
);
func(
  "sleep version database user schema char chr nchar ascii ord substring substr mid if elt " +
    "concat hex md5 sha1 sha2 count rand floor instr locate strcmp bin conv oct length len " +
    "char_length cast convert isnull ifnull nullif coalesce extract exp left right reverse " +
    "repeat replace lower upper lcase ucase space unicode quotename soundex position exists any",
  F.PROBE,
);
func(
  "min max sum avg abs round ceil ceiling trim ltrim rtrim now getdate sysdate curdate " +
    "date_format to_char to_number decode nvl lpad rpad greatest least rownum row_number " +
    "sin cos tan asin acos atan atan2 cot pi sqrt power pow log log10 ln sign degrees radians",
  F.FUNC,
);

// ---- HTML / JS --------------------------------------------------------------------------
// type: t = tag dangerous by itself; a = attribute dangerous by itself; j = JavaScript sink
// (sub 1 = function called, 2 = global object, 3 = its dangerous property);
// s = script-running URL scheme (sub 1) or data: (sub 2);
// m = data: media type that renders active content; c = CSS word that runs code
// (sub 1 = "expression" before "(" in a property value, sub 2 = property before ": url("); x = character entity name (sub = the byte).
const html = [];
const addh = (words, type, sub = 0) => {
  for (const w of words.split(/\s+/).filter(Boolean)) html.push({ w, type, sub, func: 0 });
};
addh(
  "script iframe frame frameset object embed applet meta base link style xml isindex " +
    "vmlframe layer ilayer svg math set animate handler listener",
  "t",
);
addh("import", "t", 2); // also as the processing instruction <?import
addh("dataformatas datasrc", "a"); // IE data binding renders a value as HTML
// sub | 0x10: also recognised at the end of a longer word ("scriptalert(" after a filter
// stripped the angle brackets); only for names no ordinary word ends with.
addh("alert prompt confirm settimeout setinterval fromcharcode execscript", "j", 1 | 0x10);
addh("eval atob msgbox write writeln", "j", 1);
addh("document globalthis", "j", 2 | 0x10);
addh("window self top parent opener", "j", 2);
addh("cookie domain location innerhtml outerhtml localstorage", "j", 3);
addh("javascript vbscript livescript mocha", "s", 1);
addh("data", "s", 2);
addh(
  "text/html text/xml image/svg+xml application/xhtml+xml application/xml text/javascript " +
    "application/javascript application/ecmascript text/ecmascript application/x-shockwave-flash " +
    "text/vbscript application/x-javascript",
  "m",
);
addh("expression", "c", 1);
addh("-moz-binding behavior behaviour binding", "c", 2); // only before ": url("
const entities = {
  colon: ":", tab: "\t", newline: "\n", lpar: "(", rpar: ")", sol: "/", quot: '"', apos: "'",
  lt: "<", gt: ">", amp: "&", num: "#", period: ".", equals: "=", grave: "`", nbsp: " ",
  bsol: "\\", semi: ";", comma: ",", lsqb: "[", rsqb: "]", lbrack: "[", rbrack: "]",
  lcub: "{", rcub: "}", excl: "!", plus: "+", percnt: "%", dollar: "$", ast: "*",
};
for (const [name, ch] of Object.entries(entities)) html.push({ w: name, type: "x", sub: ch.charCodeAt(0), func: 0 });

// ---- table writer ------------------------------------------------------------------------
// Two FNV-1a hashes of the word in one pass (different bases and primes): h1 picks a
// first-level bucket, whose 16-bit displacement d places the word at
// slot = mix(h2 ^ d) >>> (32 - slotBits). The generator searches d per bucket (largest
// buckets first) until every word has its own slot: a perfect hash, one probe per lookup.
const H1_BASIS = 0x811c9dc5, H1_PRIME = 0x01000193;
const H2_BASIS = 0x050c5d1f, H2_PRIME = 0x2127599b;
const MIX = 0x9e3779b1;
// Early-reject filter: one bit per hash of (first two bytes, last two bytes, length), each
// byte | 0x20, set for every word in the table. The key is what word-table.ts mayBeWord
// reads with two 16-bit loads (a one-byte word repeats its byte). `| 0x20` folds case
// without a per-byte test: a byte that matches an entry byte case-insensitively has the
// same `| 0x20`. Most words of ordinary text find their bit clear and skip the two hashes
// over the word, the slot and the comparison. Bits per table: the smallest power of two
// with the table's words under 2% of it (about the rate of other words that pass).
const filterBitsFor = (n) => { let b = 3; while (n / (1 << b) > 0.02) b++; return b; };
const filterKey = (w, bits) => {
  const b = [...w].map((c) => c.charCodeAt(0));
  const n = b.length;
  const k = ((b[0] | (b[n > 1 ? 1 : 0] << 8) | (b[n > 1 ? n - 2 : 0] << 16) | (b[n - 1] << 24)) | 0x20202020) >>> 0;
  return Math.imul((k ^ (k >>> 15) ^ n) >>> 0, MIX) >>> (32 - bits);
};

function hashes(word) {
  let h1 = H1_BASIS, h2 = H2_BASIS;
  for (const ch of word) {
    const c = ch.charCodeAt(0);
    h1 = Math.imul(h1 ^ c, H1_PRIME) >>> 0;
    h2 = Math.imul(h2 ^ c, H2_PRIME) >>> 0;
  }
  return [h1 >>> 0, h2 >>> 0];
}
const slotOf = (h2, d, slotBits) => Math.imul((h2 ^ d) >>> 0, MIX) >>> (32 - slotBits);

function build(entries, name) {
  const seen = new Set();
  for (const e of entries) {
    if (e.w !== e.w.toLowerCase()) throw new Error(`word must be lower case: ${e.w}`);
    if (seen.has(e.w)) throw new Error(`duplicate word: ${e.w}`);
    if (e.w.length > 31) throw new Error(`word too long: ${e.w}`);
    seen.add(e.w);
  }
  let dispBits = 1;
  while (1 << dispBits < entries.length / 2) dispBits++;
  let slotBits = 1;
  while (1 << slotBits < entries.length * 1.5) slotBits++;
  const slots = new Array(1 << slotBits).fill(0);
  const disp = new Array(1 << dispBits).fill(0);
  const blob = [];
  let maxLen = 0;
  const groups = new Map();
  for (const e of entries) {
    e.off = blob.length;
    const typeByte = e.type === "0" ? 0 : e.type.charCodeAt(0);
    blob.push(e.w.length, typeByte, e.sub, e.func, ...[...e.w].map((c) => c.charCodeAt(0)));
    maxLen = Math.max(maxLen, e.w.length);
    [e.h1, e.h2] = hashes(e.w);
    const b = e.h1 >>> (32 - dispBits);
    if (!groups.has(b)) groups.set(b, []);
    groups.get(b).push(e);
  }
  const order = [...groups.entries()].sort((x, y) => y[1].length - x[1].length);
  for (const [b, words] of order) {
    let placed = false;
    for (let d = 0; d < 65536 && !placed; d++) {
      const want = words.map((e) => slotOf(e.h2, d, slotBits));
      if (new Set(want).size !== want.length || want.some((i) => slots[i] !== 0)) continue;
      want.forEach((i, k) => (slots[i] = words[k].off + 1));
      disp[b] = d;
      placed = true;
    }
    if (!placed) throw new Error(`${name}: no displacement for bucket ${b}`);
  }
  if (blob.length >= 65535) throw new Error("blob too large for u16 offsets");
  // Self-check: the lookup formula finds every word at its own entry.
  for (const e of entries) {
    const d = disp[e.h1 >>> (32 - dispBits)];
    if (slots[slotOf(e.h2, d, slotBits)] !== e.off + 1) throw new Error(`${name}: lookup misses ${e.w}`);
  }
  const filterBits = filterBitsFor(entries.length);
  const filter = new Array(1 << (filterBits - 3)).fill(0);
  for (const e of entries) {
    const k = filterKey(e.w, filterBits);
    filter[k >>> 3] |= 1 << (k & 7);
  }
  const filterSet = filter.reduce((n, b) => n + popcount(b), 0);
  console.log(`${name}: ${entries.length} words, ${disp.length} buckets, ${slots.length} slots, blob ${blob.length} bytes (perfect hash), filter ${filterSet}/${1 << filterBits} bits set`);
  return { dispBits, slotBits, disp, slots, blob, maxLen, filter, filterBits };
}

const popcount = (b) => { let n = 0; for (; b; b &= b - 1) n++; return n; };

const chunk = (arr) => {
  const lines = [];
  for (let i = 0; i < arr.length; i += 24) lines.push("  " + arr.slice(i, i + 24).join(", ") + ",");
  return lines.join("\n");
};

function emit(file, prefix, table, extra) {
  const text = `// GENERATED by assembly/detectors/gen-tables.mjs — do not edit; edit the generator and rerun it.
// Perfect hash of words (see the generator for the layout); look up with lookupWord() from
// word-table.ts.
${extra}
export const ${prefix}_DISP_BITS: u32 = ${table.dispBits};
export const ${prefix}_SLOT_BITS: u32 = ${table.slotBits};
export const ${prefix}_MAX_LEN: u32 = ${table.maxLen};
export const ${prefix}_FILTER_BITS: u32 = ${table.filterBits};
/** Per first-level bucket: the displacement that places its words. */
export const ${prefix}_DISP: usize = memory.data<u16>([
${chunk(table.disp)}
]);
/** Per slot: offset + 1 of the word's entry in the blob, 0 = empty. */
export const ${prefix}_SLOTS: usize = memory.data<u16>([
${chunk(table.slots)}
]);
/** Early-reject bits, one per hash of (first two bytes, last two bytes, length) of a word in the table. */
export const ${prefix}_FILTER: usize = memory.data<u8>([
${chunk(table.filter)}
]);
/** Entries: [len][type][sub][func][bytes...]. */
export const ${prefix}_BLOB: usize = memory.data<u8>([
${chunk(table.blob)}
]);
`;
  writeFileSync(join(here, file), text);
}

const subConsts = Object.entries(SUB)
  .map(([k, v]) => `export const SUB_${k}: u8 = ${v};`)
  .join("\n");
const funcConsts = Object.entries(F)
  .map(([k, v]) => `export const FUNC_${k}: u8 = ${v};`)
  .join("\n");
emit("sql-words.ts", "SQL_WORDS", build(sql, "sql"), subConsts + "\n" + funcConsts);
// For detectXSS's JavaScript-sink prescan (xss-normalised.ts sinkWordBefore): which pairs of
// last two letters a "j" word ends with, as 26 rows (first letter) of 26 bits (second letter).
// Every "j" word is at least two letters long and ends in two letters, or the prescan's
// reasoning would not hold: the generator refuses otherwise.
const jsEnds = new Array(26).fill(0);
for (const { w, type } of html) {
  if (type !== "j") continue;
  const a = w.charCodeAt(w.length - 2) - 97, b = w.charCodeAt(w.length - 1) - 97;
  if (w.length < 2 || a < 0 || a >= 26 || b < 0 || b >= 26) throw new Error(`j word ${w} does not end in two lower-case letters`);
  jsEnds[a] |= 1 << b;
}
emit("html-words.ts", "HTML_WORDS", build(html, "html"), `/** Per first letter (a..z) of the last two of a JavaScript-vocabulary ("j") word: bit (second letter - 'a'). */
export const HTML_WORDS_JS_ENDS: usize = memory.data<u32>([
${chunk(jsEnds.map((x) => "0x" + (x >>> 0).toString(16)))}
]);
`);
