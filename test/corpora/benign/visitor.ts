/**
 * One person behind one request: who they are, which browser and language they use, and
 * whether they are signed in (which decides the cookies and the bearer token).
 */
import { browserCookies } from "./cookies";
import { pickBrowser, type Browser } from "./clients";
import type { Random } from "./random";
import type { Draft, Header, Tag } from "./request";
import { PEOPLE, LOCALES, type Person } from "./vocabulary";

export interface Visitor {
  person: Person;
  locale: string;
  browser: Browser;
  loggedIn: boolean;
  cookie: string | null;
  userId: string;
}

export function visitor(r: Random, loggedInRate = 0.4): Visitor {
  const person = r.pick(PEOPLE);
  const locale = r.chance(0.8) ? person.locale : r.pick(LOCALES);
  const loggedIn = r.chance(loggedInRate);
  return {
    person,
    locale,
    browser: pickBrowser(r),
    loggedIn,
    cookie: browserCookies(r, loggedIn),
    userId: r.chance(0.5) ? `usr_${r.alnum(16)}` : String(r.int(1000, 999999)),
  };
}

export function draft(method: string, uri: string, headers: Header[], body: string | null, ...tags: Tag[]): Draft {
  return { method, uri, headers, body, tags: new Set(tags) };
}

/** Search phrases and titles that contain SQL/markup/shell words get the lookalike tag. */
const ALARMING_WORDS = /\b(select|union|drop|delete|update|insert|script|alert|exec|command|order by|null|prompt|join)\b|1=1|[<>]|javascript:/i;

export function tagIfAlarming(tags: Set<Tag>, ...values: string[]): void {
  if (values.some((value) => ALARMING_WORDS.test(value))) tags.add("lookalike");
}
