/**
 * detectSqli on fixtures written for this project: attacks across dialects and shapes, and
 * benign values that look alarming (apostrophes, SQL words in prose, numbers, URLs).
 */
import { describe, expect, it } from "vitest";
import { detectorHarness } from "./harness";

const h = detectorHarness();

const attacks: string[] = [
  // tautologies after a closed string
  "' or 1=1--",
  "' OR '1'='1",
  "x' or 'a'='a",
  "1' AND 1=1 AND 'a'='a",
  "') OR ('1'='1",
  "')) or (('x'))=(('x",
  "\" or \"\"=\"",
  "1\" AND 1=1--",
  "' OR TRUE--",
  "' or 1 --",
  "A' AND 'B",
  "N'x' OR 1=1",
  // comment truncation
  "admin'--",
  "admin' #",
  "admin')--",
  "admin'/*",
  // numeric context
  "1 OR 1=1",
  "1 and 1=2",
  "1) and (1=1",
  "-1 OR 2>1",
  "HOPE AND -8=3",
  "4 and 31337-31337=0",
  "1 AND @@version > 5",
  "`id` = 1 or 1=1",
  "1 AND 0x41=0x41",
  "1 and b'1'=b'1'",
  // union
  "-1 UNION SELECT 1,2,3--",
  "1 union all select null,null--",
  "' union select username, password from users--",
  "-5' union select 1,concat(user,0x3a,password),3 from mysql.user#",
  "1 /**/union/**/select 1",
  "1/*!UNION*//*!SELECT*/1,2",
  "1 /*!50000union*/ select 1",
  "q'[x]' union select 1 from dual",
  "-1 union select",
  "' UNION SELECT sql FROM sqlite_master--",
  // stacked queries
  "1; DROP TABLE users",
  "1; DROP TABLE users--",
  "'; exec xp_cmdshell 'dir'--",
  "1; select pg_sleep(5)--",
  "1;SHUTDOWN",
  "'; SHUTDOWN--",
  "1; declare @x int",
  "x'; update users set admin=1 where id=1--",
  // time based
  "1 AND SLEEP(5)",
  "1' AND SLEEP(5)#",
  "1; WAITFOR DELAY '0:0:5'--",
  "' AND pg_sleep(5)--",
  "1 AND BENCHMARK(1000000,MD5(1))",
  "1 AND randomblob(100000000)",
  "1' || dbms_pipe.receive_message('a',10) || '",
  // error based and file access
  "1 AND extractvalue(1,concat(0x7e,version()))",
  "1 and updatexml(1,concat(0x7e,user()),1)",
  "' UNION SELECT load_file('/etc/passwd')--",
  "' INTO OUTFILE '/tmp/x'",
  "1 into outfile ('/tmp/x')",
  "' AND 1=utl_inaddr.get_host_address((SELECT banner FROM v$version WHERE rownum=1))--",
  // blind probes and subqueries
  "1 AND ASCII(SUBSTRING((SELECT password FROM users LIMIT 1),1,1))>64",
  "1' AND (SELECT COUNT(*) FROM information_schema.tables)>0--",
  "x' and 1=(select 1 from dual)--",
  "1 or 1=(select top 1 name from sysobjects)",
  "1' and substring(version(),1,1)=5--",
  "'||(select version())||'",
  "1 || lpad(user,7,1)",
  "(select @@version)",
  "select id, sin(1) from bar where",
  // clauses
  "1 ORDER BY 3--",
  "1' ORDER BY 1#",
  "1 GROUP BY 2",
  "1' HAVING 1=1--",
  "limit 0,1--",
  "case 1 when 2 then 2 end",
  // procedures and catalogues
  "exec master..xp_cmdshell 'ping 127.0.0.1'",
  "EXEC sp_add_job @job_name = 'x'",
  "1; EXEC sp_configure 'show advanced options',1--",
  "declare @s varchar(8000)",
  "information_schema.tables",
  // cut off expressions
  "1--",
  "@@version--",
  "( 'a' OR 1 ) --",
  "SLEEP(5)#",
  "') or true--",
  "1' AnD sLeEp(3) aNd '1'='1",
];

const benign: string[] = [
  "O'Brien",
  "don't",
  "I can't select a plan",
  "select a plan",
  "Select your country",
  "Drop me a line",
  "Union Station",
  "trade union select committee",
  "Rock and roll",
  "salt & pepper",
  "Tom & Jerry's",
  "it's 5 o'clock",
  "Let's meet at 5; bring snacks",
  "We're #1",
  "C# and F#",
  "rock 'n' roll",
  "5' 10\"",
  "12\" pizza",
  "He said \"hello\" and left",
  "price: $10-$20",
  "100% cotton",
  "1-2-3",
  "24-7-TEAM",
  "user@example.com",
  "john.o'neil@example.com",
  "https://example.com/search?q=select+from&x=1",
  "/api/v1/users/42",
  "2024-01-15",
  "10:30 AM",
  "+1 (555) 123-4567",
  "ORDER #12345",
  "order by phone",
  "Please update me, thanks",
  "Insert coin",
  "delete my account please",
  "I'd like to create an account",
  "Where's the beef?",
  "Who's on first?",
  "Mary's and John's",
  "L'Oréal",
  "D'Angelo",
  "McDonald's",
  "It's not a bug; it's a feature",
  "1 + 1 = 2",
  "x = y + 1",
  "Select all",
  "The sleep (8 hours) study",
  "version 2.0",
  "user(s)",
  "Terms and conditions apply",
  "black or white",
  "yes or no",
  "1 or 2 items",
  "between 5 and 10",
  "Is it true or false?",
  "null",
  "isn't it",
  "'quoted'",
  "\"double quoted\"",
  "dGVzdCB0b2tlbg==",
  "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjMifQ.c2lnbmF0dXJl",
  "email me at bob@x.com -- thanks",
  "see item #5",
  "Beauty & the Beast",
  "AT&T",
  "Q&A",
  "50% off; today only",
  "He said 'or else'",
  "3/4\" pipe",
  "It's 1=1 simple",
  "The girls' and boys' clothes",
  "the 1950's and 60's",
  "Apt is gated; call when you get here",
  "Note: select the best option, then continue",
  "I'm in; count me in",
  "Select 2 items from the list",
  "select (one)",
  "Teamsters Local 705 union",
  "12\" from 3 sides",
  "email bob@example.com and alice@example.com",
  "bob@example.com or 1",
  "Bio: SELECT * FROM weekends WHERE music = 'loud';",
  "Is it 'who' or 'whom' in that sentence?",
  "the 'or' operator",
  "use 'and' here",
  "Rock & Roll -- Live",
  "Limit 1 per customer",
  "x < 3 and y > 4",
  "Temperature < 5 or > 30",
  "Buy 2 or more & save 10%",
  "He's 6'2\" and 180 lbs",
];

describe("detectSqli: attacks", () => {
  it.each(attacks)("fires on %s", (input) => {
    const v = h.sqli(input);
    expect(v.code, `fingerprint ${v.fingerprint}`).not.toBe(0);
    expect(v.fingerprint.length).toBeGreaterThan(0);
    expect(v.fingerprint.length).toBeLessThanOrEqual(16);
    expect(v.fingerprint).toMatch(/^[\x21-\x7e]+$/);
  });
  it("has at least 60 attack fixtures", () => expect(attacks.length).toBeGreaterThanOrEqual(60));
});

describe("detectSqli: benign look-alikes", () => {
  it.each(benign)("stays quiet on %s", (input) => {
    const v = h.sqli(input);
    expect(v.code, `fired with ${v.fingerprint}`).toBe(0);
    expect(v.fingerprint).toBe("");
  });
  it("has at least 60 benign fixtures", () => expect(benign.length).toBeGreaterThanOrEqual(60));
});

describe("detectSqli: result encoding and fingerprints", () => {
  it("reports the starting context in the high byte", () => {
    expect(h.sqli("1 OR 1=1").code >> 8).toBe(1); // bare
    expect(h.sqli("x' or 'a'='a").code >> 8).toBe(2); // after a single quote
    expect(h.sqli("x\" or \"a\"=\"a").code >> 8).toBe(3); // after a double quote
  });
  it("explains a tautology after a closed string", () => {
    const v = h.sqli("' or 1=1--");
    expect(v.fingerprint.startsWith("s&1")).toBe(true);
  });
  it("explains a union", () => {
    expect(h.sqli("-1 UNION SELECT 1,2").fingerprint).toContain("UE");
  });
  it("clears the fingerprint when the next call is quiet", () => {
    expect(h.sqli("' or 1=1--").fingerprint).not.toBe("");
    expect(h.sqli("hello").fingerprint).toBe("");
  });
  it("treats MySQL version comments as code and other comments as space", () => {
    expect(h.sqli("1/*!UNION*/ /*!SELECT*/ 1").code).not.toBe(0);
    expect(h.sqli("1 /* union select */ a").code).toBe(0);
  });
  it("reads PostgreSQL dollar quotes and Oracle q-quotes as strings", () => {
    expect(h.sqli("$$ union select 1 $$").code).toBe(0);
    expect(h.sqli("q'[ or 1=1 ]'").code).toBe(0);
    expect(h.sqli("$tag$ x $tag$ union select 1,2").code).not.toBe(0);
  });
  it.each([
    ["bracket identifiers (MSSQL)", "x' AND [password] LIKE 'a%"],
    ["backtick identifiers (MySQL)", "x' AND `password` = 'a"],
    ["hex string literal", "1 AND x'41'=x'41'"],
    ["escape string (PostgreSQL)", "E'\\x41' OR 1=1"],
    ["&& as logic", "1 && 1=1"],
    ["|| joining a subquery", "x'||(select 1)||'"],
    ["null-safe equality", "1 OR 1<=>1"],
    ["cast operator", "1 OR 1::int=1"],
    ["national string", "N'a' OR N'a'=N'a'"],
    ["version comment hiding a keyword", "1 /*!OR*/ 1=1"],
    ["hash comment after a break-out", "x' OR 1=1#"],
  ])("knows %s", (_name, input) => {
    expect(h.sqli(input).code).not.toBe(0);
  });
  it("handles empty input and lone punctuation", () => {
    for (const input of ["", "'", "\"", "`", "[", "/*", "/*!", "--", "#", "$", "$$", "@", "@@", "q'", "x'", "0x", "\\"]) {
      expect(h.sqli(input).code).toBe(0);
    }
  });
});
