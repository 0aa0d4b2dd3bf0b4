import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { ipKey } from "../../src/ratelimit/ip-key";

describe("ipKey", () => {
  it("keeps IPv4 as is and strips a port", () => {
    expect(ipKey("203.0.113.7")).toBe("203.0.113.7");
    expect(ipKey("203.0.113.7:8080")).toBe("203.0.113.7");
    expect(ipKey("0.0.0.0")).toBe("0.0.0.0");
  });

  it("refuses what is not an address", () => {
    for (const bad of ["", "1.2.3", "1.2.3.4.5", "256.1.1.1", "01.2.3.4", "abc", "1::2::3", "1:2:3:4:5:6:7:8:9", "12345::", "x".repeat(100), "1.2.3.4::"]) {
      expect(ipKey(bad), bad).toBeUndefined();
    }
  });

  it("maps ::ffff: addresses to IPv4, in dotted and hex form, any case", () => {
    expect(ipKey("::ffff:198.51.100.1")).toBe("198.51.100.1");
    expect(ipKey("::FFFF:c633:6401")).toBe("198.51.100.1");
    expect(ipKey("[::ffff:198.51.100.1]:443")).toBe("198.51.100.1");
    expect(ipKey("0:0:0:0:0:ffff:c633:6401")).toBe("198.51.100.1");
  });

  it("truncates IPv6 to /64 by default and normalises case and zero compression", () => {
    expect(ipKey("2001:DB8:0:0:1:2:3:4")).toBe("2001:db8::/64");
    expect(ipKey("2001:0db8:0001:0002:ffff:1:2:3")).toBe("2001:db8:1:2::/64");
    expect(ipKey("2001:db8:1:2::9")).toBe(ipKey("2001:db8:1:2:aaaa:bbbb:cccc:dddd"));
    expect(ipKey("fe80::1%eth0", 128)).toBe("fe80::1");
    expect(ipKey("2001:db8:1:2:3:4:5:6", 48)).toBe("2001:db8:1::/48");
    expect(ipKey("2001:db8:1:2:3:4:5:6", 56)).toBe("2001:db8:1::/56");
    expect(ipKey("2001:db8:1:2ff:3:4:5:6", 56)).toBe("2001:db8:1:200::/56");
    expect(ipKey("::1", 128)).toBe("::1");
    expect(ipKey("1:0:0:2:0:0:0:3", 128)).toBe("1:0:0:2::3"); // longest run compressed
  });

  it("every textual form of one IPv6 address gives the same key (property)", () => {
    fc.assert(fc.property(fc.array(fc.integer({ min: 0, max: 0xffff }), { minLength: 8, maxLength: 8 }), fc.boolean(), (words, upper) => {
      if (words[0] === 0 && words[1] === 0 && words[2] === 0 && words[3] === 0 && words[4] === 0 && words[5] === 0xffff) return true;
      const full = words.map((w) => w.toString(16).padStart(4, "0")).join(":");
      const short = words.map((w) => w.toString(16)).join(":");
      const a = ipKey(upper ? full.toUpperCase() : full, 128);
      const b = ipKey(short, 128);
      return a !== undefined && a === b && ipKey(a, 128) === a;
    }));
  });

  it("never throws on arbitrary text", () => {
    fc.assert(fc.property(fc.string({ maxLength: 80 }), (s) => { ipKey(s); return true; }));
  });
});

describe("ipv4Value", () => {
  it("agrees with ipKey on every dotted quad it accepts (property)", async () => {
    const { ipv4Value, ipv4Text } = await import("../../src/ratelimit/ip-key");
    fc.assert(fc.property(fc.ipV4(), (ip) => ipv4Value(ip) >= 0 && ipv4Text(ipv4Value(ip)) === ip && ipKey(ip) === ip));
    fc.assert(fc.property(fc.string({ maxLength: 20 }), (s) => {
      const v = ipv4Value(s);
      return v < 0 ? true : ipKey(s) === s;
    }));
    expect(ipv4Value("255.255.255.255")).toBe(0xffffffff);
    expect(ipv4Value("1.2.3")).toBe(-1);
    expect(ipv4Value("1.2.3.04")).toBe(-1);
  });
});
