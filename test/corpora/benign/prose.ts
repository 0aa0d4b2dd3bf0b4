/**
 * Free text people type into reviews, support tickets, comments, forum posts and chats.
 * Ordinary sentences carry the everyday punctuation a naive filter dislikes (apostrophes,
 * "--", "&", "<3", prices, percentages, emoji, other scripts). A small minority of texts
 * also get a deliberately alarming but legitimate sentence ("lookalike") or a short code
 * or shell snippet ("code"), as support desks and developer forums really receive.
 */
import type { Random } from "./random";
import type { Tag } from "./request";

export type TextContext = "review" | "support" | "contact" | "comment" | "forum" | "chat" | "bio" | "task" | "sms";

const ORDINARY: Record<TextContext, readonly string[]> = {
  review: [
    "Fits true to size and the color is exactly like the photos.",
    "I've worn these every day for 3 weeks -- no blisters at all!",
    "Great value for $19.99, would definitely buy again.",
    "Arrived a day early. Packaging was a bit damaged but the item's fine.",
    "My husband loves it ❤️",
    "Runs small, order one size up if you're between sizes.",
    "Not bad, not great. 3/5 because the zipper feels cheap.",
    "Five stars ⭐⭐⭐⭐⭐ — customer service sorted out my exchange in 10 minutes.",
    "The fabric is thinner than I expected for €5 more than the basic version.",
    "Perfect for our cabin; it's survived two winters so far.",
    "Bought it for my daughter's birthday and she hasn't taken it off since 😂",
    "Honestly the best purchase I've made this year. 10/10.",
    "Comparing with the old model: lighter, quieter, and about 20% cheaper.",
    "Le produit est arrivé en parfait état, merci !",
    "Sehr gute Qualität, schnelle Lieferung. Gerne wieder!",
    "とても使いやすいです。また買いたいと思います。",
    "Muy cómodo y bonito, lo recomiendo 100%.",
    "Color is more navy than black IMO, but I still like it.",
    "Wish it came in XXL. Otherwise perfect.",
    "Used it on a 12-mile hike in the rain & my feet stayed dry.",
    "Returned it: the handle came loose after 2 days :(",
    "Good product <3 will recommend to my friends",
    "Smells a bit like plastic out of the box; gone after a day or two.",
  ],
  support: [
    "Hi, I placed order #1045-2291 on Monday and it still says \"processing\".",
    "Could you change the delivery address on my order? I moved last week.",
    "I was charged twice ($49.00 and $49.00) for the same subscription.",
    "The app crashes every time I open the settings screen on my Pixel 8.",
    "I can't log in -- the reset link says it has expired.",
    "Please cancel my subscription at the end of the billing period.",
    "Is there a student discount? I'm at King's College London.",
    "My invoice shows the wrong VAT number; it should be DE123456789.",
    "Thanks for the quick reply yesterday, that fixed it!",
    "The item I received is a size M but I ordered an L.",
    "Where can I download last year's receipts for my accountant?",
    "Our team of 12 wants to upgrade; can we pay by bank transfer?",
    "The 2FA code never arrives by SMS. Can I switch to an authenticator app?",
    "Bonjour, je n'arrive pas à modifier mon adresse e-mail.",
    "Hallo, meine Bestellung ist beschädigt angekommen. Was kann ich tun?",
    "When will the Android app support dark mode?",
    "Attached a screenshot of the error. It happens on Chrome and Safari.",
    "Can you export all my data? I'd like a copy before I close the account.",
    "The page just spins forever after I click \"Pay now\".",
  ],
  contact: [
    "Hello! I'm interested in a wholesale account for my shop in Portland.",
    "We're organizing a conference in Zürich and would love to have you as a sponsor.",
    "Do you ship to Canada? If so, how much is shipping on a $150 order?",
    "I'd like to request a demo for our team (about 40 people).",
    "Is the showroom on Main St open on Sundays?",
    "Quick question about your privacy policy & GDPR data requests.",
    "We're a non-profit -- do you offer discounts for 501(c)(3) organizations?",
    "Please call me back at your convenience, mornings work best.",
    "I'm a journalist writing about sustainable fashion; could I interview your founder?",
    "Partnership inquiry: we run a newsletter with ~25k subscribers.",
    "Hi there, just wanted to say your team did an amazing job with the redesign!",
  ],
  comment: [
    "Great article, thanks for sharing!",
    "This is exactly what I needed -- bookmarked.",
    "I disagree with point #3, but the rest is spot on.",
    "Has anyone tried this with gluten-free flour? Did it work?",
    "Thanks! Worked perfectly on the first try 🎉",
    "Can you do a follow-up on the costs? I'd love to see the numbers.",
    "My grandmother's recipe uses buttermilk instead, just FYI.",
    "Lol, I made the same mistake last year 😅",
    "Any chance of a version for the Instant Pot?",
    "Merci pour cet article très clair.",
    "Excelente explicación, gracias.",
    "+1, we saw a 30% improvement after switching.",
    "Wow. Just wow.",
    "This didn't age well, but it's still a fun read.",
    "Typo in the second paragraph: \"their\" should be \"there\".",
    "**Edit:** fixed the link, thanks!",
    "See [the docs](https://docs.example.com/docs/guides/webhooks) for details.",
    "Pros:\n- light\n- cheap\n- _really_ comfy",
  ],
  forum: [
    "I'm trying to set up a reverse proxy in front of my app and the headers get lost.",
    "Has anyone managed to get this working on Windows 11?",
    "After upgrading to v3.2 the build takes twice as long. Any ideas?",
    "Solved it! The problem was a missing environment variable.",
    "Here's what I tried so far, none of it helped:",
    "Marking this as resolved, thanks everyone for the help.",
    "The docs say it's supported, but I get a 403 when I call the endpoint.",
    "Which is better for a small team: self-hosting or the managed plan?",
    "Can confirm, same issue on macOS 15 with Safari 18.",
    "Thanks @dangelo, that was it.",
    "**Update:** it works after a restart. ~~Still broken~~",
    "Steps:\n1. Open *Settings*\n2. Click **Export**\n3. Choose `CSV`",
    "Cross-posting from Stack Overflow since nobody answered there.",
  ],
  chat: [
    "hey, are we still on for lunch tomorrow?",
    "running 5 min late 🙏",
    "can you send me the slides from today's meeting?",
    "lol yes 😂",
    "👍",
    "ok sounds good!",
    "did you see the new pricing page? looks 🔥",
    "I'll be OOO Friday -- back Monday",
    "お疲れ様です！",
    "شكرا جزيلا",
    "merci, à demain !",
    "Meet me at Union Station at 5?",
    "I'm 100% on board with that plan",
  ],
  bio: [
    "Coffee lover ☕, amateur photographer, dog mom.",
    "Product designer @ a small studio in Kraków.",
    "Full-stack dev (TypeScript & Go). Opinions are my own.",
    "Runner, reader, and occasional baker 🍞",
    "Dad of 2 | Bills fan | Engineer",
    "Here to learn & share.",
    "Desarrolladora web en Ciudad de México 🇲🇽",
    "日本在住のエンジニアです。",
  ],
  task: [
    "Update the onboarding email copy for Q1.",
    "Fix the date picker on Safari (it shows the wrong month).",
    "Review PR #482 before Friday's release.",
    "Prepare slides for the all-hands -- 10 min max.",
    "Follow up with Acme Corp about the renewal (+15% uplift).",
    "Migrate the staging DB to the new cluster.",
    "Write release notes for v2.4.0.",
    "Design review: checkout flow on mobile.",
    "Ask legal about the GDPR data-processing addendum.",
    "Order new monitors for the London office (4x 27\").",
  ],
  sms: [
    "Yes", "STOP", "HELP", "Confirm", "Can I move my appointment to 3pm?",
    "Thanks! See you then", "Running late, 10 min", "Is the store open today?",
  ],
};

/** Legitimate sentences that contain SQL words, operators or markup-ish characters. */
const LOOKALIKE_PROSE: Record<TextContext, readonly string[]> = {
  review: [
    "SELECT a plan that fits -- I went with the family one and it's worth it.",
    "The drop-down for sizes on the website is confusing, but the shoes are great.",
    "I'd give it 4.5/5; the only thing missing is a USB-C port (a < b in my book).",
    "Bought this to read \"JavaScript: The Good Parts\" on the train. Screen is crisp.",
    "Where's the 'or' in 'one or the other'? Both colors came in the box!",
    "Insert tab A into slot B -- assembly took 5 minutes.",
  ],
  support: [
    "Please delete the old address from my account and update it to the new one.",
    "I tried to select * from the options menu but the app froze.",
    "The drop-down menu won't let me select a plan; it's stuck on Basic.",
    "My order confirmation says: Total = $0.00 -- is that right? I used a 100% coupon.",
    "The script on the checkout page throws an error when I click Pay.",
    "I'm from Coeur d'Alene and the address form rejects the apostrophe.",
  ],
  contact: [
    "We'd like to select a plan for 50 users -- union members get a discount, right?",
    "Can you drop the price if we pay annually?",
    "Please update our billing email and delete the old one.",
  ],
  comment: [
    "In boolean logic 1=1 is true, so that filter always passes. Good catch!",
    "Can I select * from the menu for a party of 8? Asking for a friend.",
    "Our waiter said we could select * from our menu for the tasting -- best night out in ages.",
    "The union station scene gave me chills.",
    "a<b and b<c, therefore a<c. Transitivity for the win.",
    "Drop the mic. Best post of the year.",
    "Is it 'or' or 'nor' in that sentence?",
    "<3 <3 <3",
  ],
  forum: [
    "I think the OR condition in your WHERE clause is the problem.",
    "You need a UNION instead of a JOIN here, since the columns are the same.",
    "Select the \"Advanced\" tab, then drop-down \"Logging\" and set it to debug.",
    "The exec summary is in the shared drive under /reports/2025.",
    "Make sure a < b before you call the function, otherwise it returns null.",
  ],
  chat: [
    "select a date and I'll book it",
    "drop me a line when you're done",
    "union station or grand central?",
    "1=1 lol",
  ],
  bio: ["SQL nerd. SELECT * FROM life WHERE coffee = 'strong';", "Drop-in pottery teacher & <3 clay"],
  task: [
    "Drop the unused columns from the reporting table after the migration.",
    "Update the SELECT plan page copy (pricing tiers).",
    "Delete old test accounts from staging.",
    "Make sure the order total is > $0 before charging.",
  ],
  sms: ["Drop off at 5?", "Select 1 for yes, 2 for no -- 1"],
};

/** Short code or shell snippets, as pasted into support tickets and developer forums. */
const CODE_SNIPPETS: readonly string[] = [
  "if (a < b) { return a; } else { return b; }",
  "const total = items.reduce((sum, item) => sum + item.price, 0);",
  "for i in range(10):\n    print(i)",
  "def greet(name):\n    return f\"Hello, {name}!\"",
  "ls -la ~/projects/app",
  "rm -rf node_modules && npm install",
  "npm run build -- --mode production",
  "git log --oneline | head -5",
  "docker compose up -d --build",
  "curl -s https://api.example.com/v1/status | jq .",
  "SELECT id, name FROM users WHERE created_at > NOW() - INTERVAL '7 days';",
  "SELECT COUNT(*) FROM orders GROUP BY status;",
  "UPDATE settings SET theme = 'dark' WHERE user_id = 42;",
  "<div class=\"card\">{{ title }}</div>",
  "export PATH=\"$HOME/.local/bin:$PATH\"",
  "echo \"${HOME}/bin\"",
  "pip install -r requirements.txt",
  "kubectl get pods -n staging",
  "SyntaxError: Unexpected token '<' in JSON at position 0",
  "TypeError: Cannot read properties of undefined (reading 'map')",
  "java.lang.NullPointerException\n\tat com.example.App.main(App.java:14)",
  "grep -rn \"TODO\" src/",
  "<a href=\"/docs\">docs</a>",
  "x = [i * 2 for i in data if i > 0]",
];

const SQL_STATEMENT = /\bSELECT\b.+\bFROM\b.+\bWHERE\b/;

const CODE_FRIENDLY: ReadonlySet<TextContext> = new Set(["support", "forum", "comment", "chat", "task"]);

export interface TextOptions {
  /** Number of sentences, inclusive range. */
  sentences?: readonly [number, number];
  /** Probability that one sentence is a lookalike (default 0.06). */
  lookalikeRate?: number;
  /** Probability of a code snippet, only in contexts where people paste code (default 0.03). */
  codeRate?: number;
  /** Join code into the text as a Markdown fence (forums) rather than inline. */
  markdown?: boolean;
}

export function freeText(r: Random, tags: Set<Tag>, context: TextContext, options: TextOptions = {}): string {
  const [min, max] = options.sentences ?? [1, 3];
  const count = r.int(min, max);
  const parts = r.sample(ORDINARY[context], count);
  if (r.chance(options.lookalikeRate ?? 0.06)) {
    const sentence = r.pick(LOOKALIKE_PROSE[context]);
    parts.splice(r.int(0, parts.length), 0, sentence);
    tags.add("lookalike");
    // A joke written as a real statement ("SELECT * FROM life WHERE ...") is code, not prose.
    if (SQL_STATEMENT.test(sentence)) tags.add("code");
  }
  let text = parts.join(" ");
  if (CODE_FRIENDLY.has(context) && r.chance(options.codeRate ?? 0.03)) {
    const snippet = r.pick(CODE_SNIPPETS);
    const fenced = options.markdown || snippet.includes("\n");
    text = fenced ? `${text}\n\n\`\`\`\n${snippet}\n\`\`\`\n` : `${text} I ran \`${snippet}\``;
    tags.add("code");
    tags.add("lookalike");
  }
  return text;
}

/** A short title line for a post, ticket or review. */
export function title(r: Random, tags: Set<Tag>, context: TextContext): string {
  const titles: Record<TextContext, readonly string[]> = {
    review: ["Love them!", "Great value", "Runs small", "Not what I expected", "Perfect gift", "Solid 4/5", "Wow 😍"],
    support: ["Order not arrived", "Double charge", "Can't log in", "Change address", "Refund request", "App crash on Android 14"],
    contact: ["Wholesale inquiry", "Partnership", "Press request", "Demo request", "Question about shipping"],
    comment: ["Re: your post", "Thanks!", "Question"],
    forum: [
      "Reverse proxy drops headers", "Build slow after upgrade", "403 on /v2/orders", "How to paginate results?",
      "Best way to join two tables?", "Help with a bash script", "Union of two queries returns duplicates",
    ],
    chat: ["hi"],
    bio: ["About me"],
    task: ["Q1 onboarding", "Safari date picker", "Release notes v2.4.0", "Select plan page copy"],
    sms: ["SMS"],
  };
  const chosen = r.pick(titles[context]);
  if (/join|union|select|bash/i.test(chosen)) tags.add("lookalike");
  return chosen;
}
