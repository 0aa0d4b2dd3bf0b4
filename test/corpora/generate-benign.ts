/**
 * Writes test/corpora/benign-requests.jsonl: legitimate whole HTTP requests in the
 * `wafer scan` input format, for measuring false positives. Deterministic: a fixed seed
 * drives an inline PRNG, so the same code always yields the same bytes.
 *
 *   npx esbuild test/corpora/generate-benign.ts --bundle --platform=node --format=esm --outfile=/tmp/gb.mjs
 *   node /tmp/gb.mjs [output path]      # default: test/corpora/benign-requests.jsonl (from the repo root)
 */
import { writeFileSync } from "node:fs";
import { resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { Random } from "./benign/random";
import { finalize, type CorpusRequest, type Draft } from "./benign/request";
import * as assets from "./benign/scenarios/assets";
import * as browse from "./benign/scenarios/browse";
import * as forms from "./benign/scenarios/forms";
import * as graphql from "./benign/scenarios/graphql";
import * as infrastructure from "./benign/scenarios/infrastructure";
import * as oauth from "./benign/scenarios/oauth";
import * as realtime from "./benign/scenarios/realtime";
import * as rest from "./benign/scenarios/rest";
import * as telemetry from "./benign/scenarios/telemetry";
import * as uploads from "./benign/scenarios/uploads";
import * as webhooks from "./benign/scenarios/webhooks";

export { TAGS } from "./benign/request";

export const BENIGN_SEED = 0x5afe_c0de;
export const BENIGN_COUNT = 3000;

type Scenario = (r: Random) => Draft;

/** Relative frequency of each kind of request, roughly what a mixed web property sees. */
const MIX: readonly (readonly [Scenario, number])[] = [
  // Browsing (~30%).
  [browse.shopSearch, 40], [browse.shopCategory, 30], [browse.productPage, 40], [browse.campaignLanding, 25],
  [browse.accountPage, 25], [browse.blogPage, 30], [browse.forumPage, 20], [browse.appPage, 30],
  [browse.travelSearch, 15], [browse.docsPage, 15], [browse.helpCenter, 12], [browse.outboundRedirect, 10],
  [browse.crawlerVisit, 15], [browse.legacyFormSearch, 8], [browse.nextRscNavigation, 12],
  // Static assets and well-known files (~12%).
  [assets.staticAsset, 100], [assets.wellKnownFile, 15], [assets.staticHead, 5],
  // REST / JSON APIs (~26%).
  [rest.listOrders, 25], [rest.getResource, 35], [rest.jsonApiListing, 8], [rest.strapiQuery, 4],
  [rest.createOrder, 18], [rest.addToCart, 18], [rest.updateProfile, 15], [rest.updateTask, 18],
  [rest.deleteResource, 12], [rest.analyticsBatch, 18], [rest.postComment, 15], [rest.chatMessage, 12],
  [rest.assistantChat, 6], [rest.updateSettings, 8], [rest.importContacts, 5], [rest.searchApi, 10],
  [rest.geocode, 6], [rest.loginApi, 10], [rest.emptyPost, 5], [rest.createTicket, 8], [rest.calendarEvent, 6],
  [rest.avatarDataUri, 3], [rest.autocomplete, 15],
  // GraphQL (~8%).
  [graphql.graphqlPost, 45], [graphql.graphqlPersistedGet, 15], [graphql.graphqlBatch, 6], [graphql.graphqlMobile, 12],
  // HTML forms (~10%).
  [forms.signupForm, 12], [forms.loginForm, 15], [forms.checkoutForm, 10], [forms.contactForm, 12],
  [forms.blogComment, 12], [forms.reviewForm, 8], [forms.newsletterForm, 6], [forms.profileForm, 5],
  [forms.webFormsPostback, 4], [forms.forumPostForm, 8], [forms.passwordResetForm, 4],
  // Uploads (~3%).
  [uploads.browserUpload, 18], [uploads.toolUpload, 10], [uploads.emptyFileInput, 3],
  // Webhooks (~6%).
  [webhooks.stripeWebhook, 12], [webhooks.githubWebhook, 10], [webhooks.slackSlashCommand, 6], [webhooks.slackEvent, 5],
  [webhooks.slackInteraction, 3], [webhooks.shopifyWebhook, 5], [webhooks.twilioSms, 4], [webhooks.sendgridEvents, 4],
  [webhooks.svixWebhook, 4], [webhooks.paypalIpn, 3],
  // OAuth / SSO (~4%).
  [oauth.authorizeRequest, 8], [oauth.providerCallback, 12], [oauth.callbackError, 3], [oauth.appleFormPost, 4],
  [oauth.tokenExchange, 8], [oauth.samlPost, 4], [oauth.magicLink, 5], [oauth.discovery, 3], [oauth.deviceGrant, 2],
  // Infrastructure (~2%).
  [infrastructure.healthProbe, 12], [infrastructure.corsPreflight, 15],
  // Telemetry sent by pages (~1.5%) and realtime connections (~1%).
  [telemetry.errorEnvelope, 8], [telemetry.cspReport, 6], [telemetry.vitalsBeacon, 6],
  [realtime.websocketUpgrade, 6], [realtime.socketIoPolling, 6], [realtime.eventStream, 3],
];

export function benignRequests(count = BENIGN_COUNT, seed = BENIGN_SEED): CorpusRequest[] {
  const r = new Random(seed);
  const width = Math.max(4, String(count).length);
  const out: CorpusRequest[] = [];
  for (let i = 1; i <= count; i++) {
    const scenario = r.weighted(MIX);
    out.push(finalize(`benign-${String(i).padStart(width, "0")}`, scenario(r)));
  }
  return out;
}

/** The corpus file's exact contents: one JSON object per line, trailing newline. */
export function generate(): string {
  return benignRequests().map((request) => JSON.stringify(request)).join("\n") + "\n";
}

function isMain(): boolean {
  const entry = process.argv[1];
  return entry !== undefined && import.meta.url === pathToFileURL(resolve(entry)).href;
}

if (isMain()) {
  const output = resolve(process.argv[2] ?? "test/corpora/benign-requests.jsonl");
  const text = generate();
  writeFileSync(output, text);
  process.stderr.write(`wrote ${text.split("\n").length - 1} requests (${Buffer.byteLength(text)} bytes) to ${output}\n`);
}
