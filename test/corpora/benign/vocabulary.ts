/**
 * Word lists the scenarios draw from: people, places, products, search phrases. They mix
 * plain ASCII with the legitimate values a naive filter trips on — apostrophes in names,
 * non-Latin scripts, ampersands and semicolons in addresses — in realistic proportions.
 */
import type { Random } from "./random";

export interface Person {
  first: string;
  last: string;
  /** Locale the person's client most likely sends in accept-language. */
  locale: string;
}

export const PEOPLE: readonly Person[] = [
  { first: "Emma", last: "Johnson", locale: "en-US" },
  { first: "Liam", last: "Smith", locale: "en-US" },
  { first: "Olivia", last: "Williams", locale: "en-US" },
  { first: "Noah", last: "Brown", locale: "en-US" },
  { first: "Ava", last: "Jones", locale: "en-US" },
  { first: "Ethan", last: "Miller", locale: "en-US" },
  { first: "Sophia", last: "Davis", locale: "en-US" },
  { first: "Mason", last: "Wilson", locale: "en-US" },
  { first: "Isabella", last: "Moore", locale: "en-US" },
  { first: "Lucas", last: "Taylor", locale: "en-US" },
  { first: "Mia", last: "Anderson", locale: "en-US" },
  { first: "James", last: "Thomas", locale: "en-US" },
  { first: "Charlotte", last: "Jackson", locale: "en-US" },
  { first: "Benjamin", last: "White", locale: "en-US" },
  { first: "Amelia", last: "Harris", locale: "en-US" },
  { first: "Daniel", last: "Martin", locale: "en-US" },
  { first: "Harper", last: "Thompson", locale: "en-US" },
  { first: "Michael", last: "Garcia", locale: "en-US" },
  { first: "Evelyn", last: "Martinez", locale: "en-US" },
  { first: "Alexander", last: "Robinson", locale: "en-US" },
  { first: "Abigail", last: "Clark", locale: "en-US" },
  { first: "Henry", last: "Lewis", locale: "en-US" },
  { first: "Emily", last: "Walker", locale: "en-US" },
  { first: "Jack", last: "Hall", locale: "en-US" },
  { first: "Grace", last: "Young", locale: "en-US" },
  { first: "Samuel", last: "King", locale: "en-US" },
  { first: "Chloe", last: "Wright", locale: "en-GB" },
  { first: "Oliver", last: "Hughes", locale: "en-GB" },
  { first: "Amelia", last: "Evans", locale: "en-GB" },
  { first: "Harry", last: "Roberts", locale: "en-GB" },
  { first: "Sean", last: "O'Brien", locale: "en-IE" },
  { first: "Siobhán", last: "O'Sullivan", locale: "en-IE" },
  { first: "Ciarán", last: "O'Connor", locale: "en-IE" },
  { first: "Aoife", last: "Ní Bhriain", locale: "en-IE" },
  { first: "Shaquille", last: "O'Neal", locale: "en-US" },
  { first: "Marco", last: "D'Angelo", locale: "it-IT" },
  { first: "Giulia", last: "Dell'Acqua", locale: "it-IT" },
  { first: "Francesca", last: "D'Amico", locale: "it-IT" },
  { first: "Lorenzo", last: "Bianchi", locale: "it-IT" },
  { first: "Anjali", last: "D'Souza", locale: "en-IN" },
  { first: "Priya", last: "Sharma", locale: "en-IN" },
  { first: "Arjun", last: "Patel", locale: "en-IN" },
  { first: "Rahul", last: "Iyer", locale: "en-IN" },
  { first: "N'Golo", last: "Kanté", locale: "fr-FR" },
  { first: "François", last: "Lefèvre", locale: "fr-FR" },
  { first: "Chloé", last: "Dubois", locale: "fr-FR" },
  { first: "Jean-Luc", last: "Girard", locale: "fr-FR" },
  { first: "Zoë", last: "Müller", locale: "de-DE" },
  { first: "Jürgen", last: "Groß", locale: "de-DE" },
  { first: "Lena", last: "Schäfer", locale: "de-DE" },
  { first: "Søren", last: "Kierkegaard", locale: "da-DK" },
  { first: "Björn", last: "Åkesson", locale: "sv-SE" },
  { first: "José", last: "García", locale: "es-ES" },
  { first: "María José", last: "Fernández", locale: "es-MX" },
  { first: "João", last: "Gonçalves", locale: "pt-BR" },
  { first: "Ana", last: "Conceição", locale: "pt-BR" },
  { first: "Łukasz", last: "Wójcik", locale: "pl-PL" },
  { first: "Ольга", last: "Петрова", locale: "ru-RU" },
  { first: "Дмитрий", last: "Иванов", locale: "ru-RU" },
  { first: "太郎", last: "山田", locale: "ja-JP" },
  { first: "さくら", last: "佐藤", locale: "ja-JP" },
  { first: "伟", last: "王", locale: "zh-CN" },
  { first: "민준", last: "김", locale: "ko-KR" },
  { first: "محمد", last: "العلي", locale: "ar-SA" },
  { first: "فاطمة", last: "الزهراء", locale: "ar-EG" },
  { first: "Nguyễn", last: "Văn An", locale: "vi-VN" },
  { first: "Ayşe", last: "Yılmaz", locale: "tr-TR" },
  { first: "Νίκος", last: "Παπαδόπουλος", locale: "el-GR" },
  { first: "Yosef", last: "Ben-David", locale: "he-IL" },
  { first: "Mary-Kate", last: "St. John", locale: "en-US" },
  { first: "Robert", last: "Smith Jr.", locale: "en-US" },
  { first: "Kwame", last: "Mensah", locale: "en-GB" },
];

export function fullName(person: Person): string {
  return `${person.first} ${person.last}`;
}

/** An email address as people really write them (ASCII local part, dots, plus tags). */
export function emailFor(r: Random, person: Person): string {
  const ascii = (text: string): string =>
    text
      .normalize("NFD")
      .replace(/[\u0300-\u036f]/g, "")
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, "");
  let first = ascii(person.first);
  let last = ascii(person.last);
  if (first === "") first = r.pick(["user", "hello", "contact", "me"]);
  if (last === "") last = r.digits(3);
  const domain = r.weighted([
    ["gmail.com", 5],
    ["outlook.com", 2],
    ["yahoo.com", 1],
    ["icloud.com", 2],
    ["proton.me", 1],
    ["example.com", 2],
    ["example.org", 1],
    ["mail.example.net", 1],
  ] as const);
  const local = r.weighted([
    [`${first}.${last}`, 4],
    [`${first}${last}${r.int(1, 99)}`, 2],
    [`${first[0]}${last}`, 2],
    [`${first}+${r.pick(["shop", "news", "work", "test"])}`, 1],
    [`${first}_${last}`, 1],
  ] as const);
  return `${local}@${domain}`;
}

export function phoneNumber(r: Random, locale: string): string {
  switch (locale) {
    case "en-GB":
      return r.pick([`+44 20 ${r.digits(4)} ${r.digits(4)}`, `07${r.digits(3)} ${r.digits(6)}`]);
    case "fr-FR":
      return `+33 6 ${r.digits(2)} ${r.digits(2)} ${r.digits(2)} ${r.digits(2)}`;
    case "de-DE":
      return `+49 (0)30 ${r.digits(7)}`;
    case "ja-JP":
      return `090-${r.digits(4)}-${r.digits(4)}`;
    case "en-IN":
      return `+91 ${r.digits(5)} ${r.digits(5)}`;
    default:
      return r.pick([
        `(${r.int(201, 989)}) ${r.int(200, 999)}-${r.digits(4)}`,
        `+1 ${r.int(201, 989)}-${r.int(200, 999)}-${r.digits(4)}`,
        `${r.int(201, 989)}.${r.int(200, 999)}.${r.digits(4)}`,
        `+1${r.int(201, 989)}${r.int(200, 999)}${r.digits(4)}`,
      ]);
  }
}

export interface Address {
  line1: string;
  line2: string;
  city: string;
  region: string;
  postalCode: string;
  country: string;
}

/** Street names with weights: ordinary names dominate; apostrophes, "&" and SQL-ish words are rarer. */
const STREETS: readonly (readonly [string, number])[] = [
  ["Main St", 10], ["Oak Avenue", 8], ["Maple Dr.", 8], ["Elm Street", 8], ["Park Ave S", 6], ["Cedar Ln", 6],
  ["Sunset Blvd", 5], ["Church Road", 6], ["High Street", 8], ["Bahnhofstraße", 5], ["Calle de Alcalá", 4],
  ["Rua Augusta", 4], ["ul. Marszałkowska", 3], ["King's Road", 3], ["Queen's Gate", 2], ["St. Mark's Place", 2],
  ["O'Farrell St", 2], ["Rue de l'Église", 2], ["Via dell'Orso", 1], ["Union Station Plaza", 1], ["Market & 5th", 1],
];

const SECOND_LINES = [
  "", "", "", "", "Apt 4B", "Suite 200", "Unit #12", "Apt. 3; Building 'C'", "Floor 2, Room 210",
  "c/o Acme Corp.", "PO Box 1042", "Flat 7", "Bldg 5 - Dock 3", "#1203",
];

const CITIES: readonly (readonly [string, string, string, string])[] = [
  ["Springfield", "IL", "62704", "US"],
  ["Portland", "OR", "97205", "US"],
  ["Austin", "TX", "78701", "US"],
  ["Brooklyn", "NY", "11201", "US"],
  ["San Francisco", "CA", "94110", "US"],
  ["Coeur d'Alene", "ID", "83814", "US"],
  ["London", "", "SW1A 1AA", "GB"],
  ["Manchester", "", "M1 1AE", "GB"],
  ["Dublin", "", "D02 X285", "IE"],
  ["Paris", "", "75011", "FR"],
  ["Zürich", "ZH", "8001", "CH"],
  ["München", "BY", "80331", "DE"],
  ["Kraków", "", "31-042", "PL"],
  ["São Paulo", "SP", "01310-100", "BR"],
  ["Ciudad de México", "CDMX", "06600", "MX"],
  ["Montréal", "QC", "H2X 1Y4", "CA"],
  ["東京都", "渋谷区", "150-0002", "JP"],
  ["القاهرة", "", "11511", "EG"],
  ["Bengaluru", "KA", "560001", "IN"],
  ["Sydney", "NSW", "2000", "AU"],
];

export function address(r: Random): Address {
  const [city, region, postalCode, country] = r.pick(CITIES);
  return {
    line1: `${r.int(1, 9999)} ${r.weighted(STREETS)}`,
    line2: r.pick(SECOND_LINES),
    city,
    region,
    postalCode,
    country,
  };
}

export interface Product {
  name: string;
  slug: string;
  category: string;
  price: number;
}

export const PRODUCTS: readonly Product[] = [
  { name: "Men's Trail Running Shoes", slug: "mens-trail-running-shoes", category: "shoes", price: 129.99 },
  { name: "Women's Waterproof Jacket", slug: "womens-waterproof-jacket", category: "jackets", price: 189.0 },
  { name: "Kids' Rain Boots", slug: "kids-rain-boots", category: "shoes", price: 34.5 },
  { name: "Levi's 501 Original Jeans", slug: "levis-501-original-jeans", category: "jeans", price: 79.5 },
  { name: "O'Neill Hybrid Shorts", slug: "oneill-hybrid-shorts", category: "shorts", price: 45.0 },
  { name: "Drop-Leaf Dining Table", slug: "drop-leaf-dining-table", category: "furniture", price: 349.0 },
  { name: "Select Comfort Pillow", slug: "select-comfort-pillow", category: "bedding", price: 59.99 },
  { name: "Union Square Tote Bag", slug: "union-square-tote-bag", category: "bags", price: 24.0 },
  { name: "Cast-Iron Skillet 12\"", slug: "cast-iron-skillet-12-inch", category: "kitchen", price: 39.95 },
  { name: "USB-C Cable 2m (2-pack)", slug: "usb-c-cable-2m-2-pack", category: "electronics", price: 12.99 },
  { name: "Noise-Cancelling Headphones", slug: "noise-cancelling-headphones", category: "electronics", price: 249.0 },
  { name: "Café au Lait Mug Set", slug: "cafe-au-lait-mug-set", category: "kitchen", price: 28.0 },
  { name: "Crème Brûlée Torch", slug: "creme-brulee-torch", category: "kitchen", price: 19.99 },
  { name: "Merino Wool Beanie", slug: "merino-wool-beanie", category: "accessories", price: 22.0 },
  { name: "Linen Duvet Cover — Queen", slug: "linen-duvet-cover-queen", category: "bedding", price: 159.0 },
  { name: "Ergonomic Office Chair", slug: "ergonomic-office-chair", category: "furniture", price: 429.0 },
  { name: "4K Monitor 27\" IPS", slug: "4k-monitor-27-ips", category: "electronics", price: 329.99 },
  { name: "Tom & Jerry Kids Pajamas", slug: "tom-and-jerry-kids-pajamas", category: "kids", price: 18.0 },
  { name: "Script Lettering Notebook", slug: "script-lettering-notebook", category: "stationery", price: 9.5 },
  { name: "Table Tennis Set (4 players)", slug: "table-tennis-set-4-players", category: "sports", price: 44.99 },
  { name: "Yoga Mat 6mm", slug: "yoga-mat-6mm", category: "sports", price: 32.0 },
  { name: "Organic Matcha 100g", slug: "organic-matcha-100g", category: "grocery", price: 21.0 },
  { name: "抹茶 Gift Box", slug: "matcha-gift-box", category: "grocery", price: 35.0 },
  { name: "Smart LED Bulb (E27)", slug: "smart-led-bulb-e27", category: "electronics", price: 14.99 },
];

export const CATEGORIES = [
  "shoes", "jackets", "jeans", "shorts", "furniture", "bedding", "bags", "kitchen", "electronics",
  "accessories", "kids", "stationery", "sports", "grocery", "sale", "new-arrivals",
];

export const COLORS = ["black", "white", "navy", "olive", "red", "burgundy", "beige", "grey", "sky blue", "forest green"];
export const SIZES = ["XS", "S", "M", "L", "XL", "XXL", "6", "7.5", "8", "9", "10", "10.5", "11", "32x30", "34x32"];

/** What people type into search boxes, including words a naive SQL/XSS filter dislikes. */
export const SEARCH_PHRASES = [
  "red running shoes", "waterproof jacket women", "kids' rain boots size 10", "men's watches under $200",
  "levi's 501", "usb-c cable", "standing desk", "noise cancelling headphones", "cast iron skillet",
  "drop leaf table", "select comfort pillow", "union square tote", "gift for dad", "birthday gift ideas",
  "best laptop for students 2025", "laptop < $500", "4k monitor 27\"", "\"merino wool\" beanie",
  "tom & jerry pajamas", "crème brûlée torch", "café mug", "duvet cover queen", "yoga mat",
  "how to return an item", "where is my order", "track order 1045-2291", "size chart", "gift card balance",
  "free shipping?", "black friday deals", "20% off code", "buy 2 get 1", "o'neill shorts", "d'angelo",
  "macbook pro 14 m3", "iphone 16 case", "ps5 controller", "lego star wars", "harry potter box set",
  "where the crawdads sing", "the 48 laws of power", "c++ primer", "c# in depth", "javascript: the good parts",
  "python for data analysis", "node.js design patterns", "sql for beginners", "learn html & css",
  "vegan recipes", "gluten-free bread", "chicken tikka masala", "pho near me", "sushi delivery",
  "union station parking", "flights to nyc", "hotels in zürich", "things to do in kraków",
  "日本語 教科書", "ordinateur portable", "fußball schuhe", "zapatillas de running", "чайник электрический",
  "سماعات لاسلكية", "抹茶", "노트북", "tênis de corrida", "écouteurs sans fil",
  "weather tomorrow", "1 cup in grams", "5'11 in cm", "50% of 80", "what does 1=1 mean",
  "is it or isn't it", "null and void meaning", "drop shipping", "select all shortcut mac",
  "best waterproof hiking boots for wide feet under 150 dollars with good arch support",
  "how do i change the shipping address on an order that has already been placed",
  "what is the difference between the pro and business plan and can i switch later",
  "gift ideas for a 10 year old who likes science, lego & drawing",
  "update iphone", "delete instagram account", "insert page number word", "script font generator",
  "alert sound download", "command prompt windows 11", "exec summary template", "order by date",
];

export const WORDS = [
  "alpha", "atlas", "aurora", "beacon", "birch", "canyon", "cedar", "comet", "delta", "ember",
  "falcon", "fjord", "galaxy", "harbor", "horizon", "iris", "juniper", "kestrel", "lagoon",
  "maple", "meadow", "nebula", "onyx", "orchid", "pebble", "quartz", "raven", "sierra", "summit",
  "tundra", "umber", "vortex", "willow", "zephyr",
];

export const COMPANIES = [
  "Acme Corp", "Globex", "Initech", "Umbrella Labs", "Stark & Wayne LLC", "O'Reilly Media",
  "Wayne Enterprises", "Hooli", "Pied Piper", "Dunder Mifflin", "Ben & Jerry's", "Procter & Gamble",
  "Müller GmbH", "Société Générale", "株式会社サンプル", "Tyrell Corp.", "Soylent, Inc.",
];

export const LOCALES = [
  "en-US", "en-GB", "en-IE", "en-IN", "fr-FR", "de-DE", "it-IT", "es-ES", "es-MX", "pt-BR", "pl-PL",
  "ru-RU", "ja-JP", "zh-CN", "ko-KR", "ar-SA", "ar-EG", "vi-VN", "tr-TR", "el-GR", "he-IL", "da-DK", "sv-SE",
];

export const CURRENCIES = ["USD", "EUR", "GBP", "JPY", "CAD", "AUD", "CHF", "BRL", "INR", "PLN"];

/** Slugs of blog/forum posts: hyphenated titles, some with SQL or shell words in them. */
export const ARTICLE_SLUGS = [
  "10-tips-for-better-sleep", "how-we-cut-our-aws-bill-by-40-percent", "a-beginners-guide-to-sourdough",
  "why-we-moved-from-mongodb-to-postgres", "understanding-sql-joins-inner-outer-cross",
  "select-the-right-plan-for-your-team", "drop-shipping-101", "the-union-station-renovation",
  "building-a-cli-in-rust", "css-grid-vs-flexbox", "on-call-without-burnout", "the-or-operator-explained",
  "how-to-write-a-cover-letter", "best-hikes-near-portland", "croissants-at-home", "year-in-review-2025",
  "shell-scripting-for-data-people", "exec-summary-q3-results", "what-is-a-jwt", "a-b-testing-pitfalls",
];

export function slugify(text: string): string {
  return text
    .normalize("NFD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .replace(/'/g, "")
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-|-$/g, "");
}

export function username(r: Random, person: Person): string {
  const base = slugify(`${person.first} ${person.last}`).replace(/-/g, r.pick(["", "_", ".", "-"]));
  const fallback = base === "" ? `user${r.digits(5)}` : base;
  return r.chance(0.4) ? `${fallback}${r.int(1, 999)}` : fallback;
}

/** A price as a shop renders it: "$19.99", "€5", "£1,299.00", "¥3,200". */
export function displayPrice(r: Random, amount: number): string {
  const format = r.pick(["usd", "eur", "eur-suffix", "gbp", "jpy"] as const);
  switch (format) {
    case "usd":
      return `$${amount.toFixed(2)}`;
    case "eur":
      return Number.isInteger(amount) ? `€${amount}` : `€${amount.toFixed(2)}`;
    case "eur-suffix":
      return `${amount.toFixed(2).replace(".", ",")} €`;
    case "gbp":
      return `£${groupThousands(amount.toFixed(2))}`;
    case "jpy":
      return `¥${groupThousands(String(Math.round(amount * 150)))}`;
  }
}

/** "1299.00" → "1,299.00" without depending on the runtime's ICU data. */
function groupThousands(fixed: string): string {
  const [whole, fraction] = fixed.split(".");
  const grouped = whole!.replace(/\B(?=(\d{3})+$)/g, ",");
  return fraction === undefined ? grouped : `${grouped}.${fraction}`;
}
