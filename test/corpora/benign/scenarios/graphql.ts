/**
 * Ordinary GraphQL traffic (never introspection): named queries with fragments and
 * variables, mutations carrying user text, Apollo persisted-query GETs, and batches.
 */
import { apiCall, jsonBodyFrom } from "../api-call";
import { target } from "../encoding";
import { freeText } from "../prose";
import type { Random } from "../random";
import type { Draft, Tag } from "../request";
import { SITES } from "../sites";
import { isoTime, unixSeconds, uuid } from "../tokens";
import { CURRENCIES, PEOPLE, PRODUCTS, SEARCH_PHRASES, address, emailFor, fullName, phoneNumber } from "../vocabulary";
import { tagIfAlarming, visitor } from "../visitor";

interface Operation {
  name: string;
  query: string;
  variables: (r: Random, tags: Set<Tag>) => Record<string, unknown>;
}

const PRODUCT_CARD = `fragment ProductCard on Product {
  id
  handle
  title
  featuredImage { url(transform: { maxWidth: 640 }) altText }
  priceRange { minVariantPrice { amount currencyCode } }
}`;

const OPERATIONS: readonly Operation[] = [
  {
    name: "SearchProducts",
    query: `query SearchProducts($query: String!, $first: Int = 24, $after: String, $sortKey: ProductSortKeys) {
  products(query: $query, first: $first, after: $after, sortKey: $sortKey) {
    edges { cursor node { ...ProductCard } }
    pageInfo { hasNextPage endCursor }
  }
}
${PRODUCT_CARD}`,
    variables: (r, tags) => {
      const q = r.pick(SEARCH_PHRASES);
      tagIfAlarming(tags, q);
      return { query: q, first: r.pick([12, 24, 48]), after: r.chance(0.3) ? r.base64url(24) : null, sortKey: r.pick(["RELEVANCE", "PRICE", "BEST_SELLING"]) };
    },
  },
  {
    name: "ProductDetails",
    query: `query ProductDetails($handle: String!, $country: CountryCode) @inContext(country: $country) {
  product(handle: $handle) {
    ...ProductCard
    descriptionHtml
    variants(first: 20) { nodes { id title availableForSale selectedOptions { name value } price { amount currencyCode } } }
    reviews: metafield(namespace: "reviews", key: "rating") { value }
  }
}
${PRODUCT_CARD}`,
    variables: (r) => ({ handle: r.pick(PRODUCTS).slug, country: r.pick(["US", "GB", "FR", "DE", "JP"]) }),
  },
  {
    name: "Viewer",
    query: `query Viewer {
  viewer { id login name avatarUrl(size: 64) organizations(first: 5) { nodes { id name } } }
}`,
    variables: () => ({}),
  },
  {
    name: "ProjectBoard",
    query: `query ProjectBoard($projectId: ID!, $filter: TaskFilter, $first: Int!) {
  project(id: $projectId) {
    id
    name
    columns { id name tasks(filter: $filter, first: $first) { totalCount nodes { id title assignee { id name } labels dueDate } } }
  }
}`,
    variables: (r) => ({ projectId: `prj_${r.alnum(12)}`, first: 50, filter: { assigneeIds: [String(r.int(1, 5000))], labels: r.sample(["bug", "frontend", "p1"], r.int(0, 2)), dueBefore: isoTime(unixSeconds(r)).slice(0, 10) } }),
  },
  {
    name: "AddToCart",
    query: `mutation AddToCart($cartId: ID!, $lines: [CartLineInput!]!) {
  cartLinesAdd(cartId: $cartId, lines: $lines) {
    cart { id totalQuantity cost { totalAmount { amount currencyCode } } }
    userErrors { field message }
  }
}`,
    variables: (r) => ({
      cartId: `gid://shop/Cart/${r.alnum(26)}`,
      lines: [{ merchandiseId: `gid://shop/ProductVariant/${r.int(40000000000, 49999999999)}`, quantity: r.int(1, 3), attributes: r.chance(0.3) ? [{ key: "Engraving", value: r.pick(["Sean & Aoife — 2025", "D'Angelo", "Love <3"]) }] : [] }],
    }),
  },
  {
    name: "UpdateShippingAddress",
    query: `mutation UpdateShippingAddress($input: MailingAddressInput!, $checkoutId: ID!) {
  checkoutShippingAddressUpdate(shippingAddress: $input, checkoutId: $checkoutId) {
    checkout { id shippingAddress { formatted } }
    checkoutUserErrors { code field message }
  }
}`,
    variables: (r) => {
      const person = r.pick(PEOPLE);
      const a = address(r);
      return { checkoutId: `gid://shop/Checkout/${r.hex(32)}`, input: { firstName: person.first, lastName: person.last, address1: a.line1, address2: a.line2, city: a.city, province: a.region, zip: a.postalCode, country: a.country, phone: phoneNumber(r, person.locale) } };
    },
  },
  {
    name: "CreateComment",
    query: `mutation CreateComment($input: CreateCommentInput!) {
  createComment(input: $input) { comment { id body createdAt author { id name } } errors { message path } }
}`,
    variables: (r, tags) => ({ input: { subjectId: uuid(r), body: freeText(r, tags, "comment", { sentences: [1, 3], lookalikeRate: 0.1, codeRate: 0.05, markdown: true }), clientMutationId: uuid(r) } }),
  },
  {
    name: "UpdateProfile",
    query: `mutation UpdateProfile($id: ID!, $patch: ProfilePatch!) {
  updateProfile(id: $id, patch: $patch) { profile { id displayName bio locale } }
}`,
    variables: (r, tags) => {
      const person = r.pick(PEOPLE);
      return { id: uuid(r), patch: { displayName: fullName(person), bio: freeText(r, tags, "bio", { sentences: [1, 1] }), locale: person.locale, email: emailFor(r, person) } };
    },
  },
  {
    name: "CreateTask",
    query: `mutation CreateTask($input: TaskInput!) {
  createTask(input: $input) { task { id number title url } }
}`,
    variables: (r, tags) => ({ input: { projectId: String(r.int(1, 5000)), title: r.pick(["Fix drop-down on Safari", "Select plan page copy", "Update pricing to €5/month", "Investigate 502s on /v1/orders", "Onboarding email for O'Brien & Co."]), description: freeText(r, tags, "task", { sentences: [1, 2], codeRate: 0.06, markdown: true }), priority: r.pick(["LOW", "MEDIUM", "HIGH"]), estimate: r.pick([1, 2, 3, 5]) } }),
  },
  {
    name: "OrderHistory",
    query: `query OrderHistory($first: Int!, $after: String, $currency: CurrencyCode) {
  customer { orders(first: $first, after: $after, sortKey: PROCESSED_AT, reverse: true) {
    nodes { id name processedAt financialStatus totalPrice(currency: $currency) { amount currencyCode } lineItems(first: 5) { nodes { title quantity } } }
    pageInfo { hasNextPage endCursor }
  } }
}`,
    variables: (r) => ({ first: 10, after: r.chance(0.4) ? r.base64url(32) : null, currency: r.pick(CURRENCIES) }),
  },
  {
    name: "Recommendations",
    query: `query Recommendations($productId: ID!, $intent: RecommendationIntent) {
  productRecommendations(productId: $productId, intent: $intent) { ...ProductCard }
}
${PRODUCT_CARD}`,
    variables: (r) => ({ productId: `gid://shop/Product/${r.int(7000000000, 8999999999)}`, intent: r.pick(["RELATED", "COMPLEMENTARY"]) }),
  },
];

function operation(r: Random, tags: Set<Tag>): { operationName: string; query: string; variables: Record<string, unknown> } {
  const op = r.pick(OPERATIONS);
  return { operationName: op.name, query: op.query, variables: op.variables(r, tags) };
}

function graphqlSite(r: Random) {
  return r.pick([SITES.shop, SITES.saas, SITES.saas]);
}

export function graphqlPost(r: Random): Draft {
  const tags = new Set<Tag>(["graphql"]);
  const op = operation(r, tags);
  const useShort = r.chance(0.3);
  const body = useShort ? { query: op.query, variables: op.variables } : op;
  const d = apiCall(r, { kind: "graphql", method: "POST", uri: r.pick(["/graphql", "/api/graphql", "/api/2024-10/graphql.json"]), body: jsonBodyFrom(r, body), site: graphqlSite(r), accept: r.pick(["application/json", "application/graphql-response+json, application/json", "*/*"]) });
  for (const tag of tags) d.tags.add(tag);
  return d;
}

/** Apollo automatic persisted query: the hash and variables travel in the query string. */
export function graphqlPersistedGet(r: Random): Draft {
  const tags = new Set<Tag>(["graphql"]);
  const op = operation(r, tags);
  const pairs: [string, string][] = [
    ["operationName", op.operationName],
    ["variables", JSON.stringify(op.variables)],
    ["extensions", JSON.stringify({ persistedQuery: { version: 1, sha256Hash: r.hex(64) } })],
  ];
  const d = apiCall(r, { kind: "graphql", method: "GET", uri: target("/graphql", pairs, "component"), site: graphqlSite(r), audience: "browser", extra: [["apollographql-client-name", "web"], ["apollographql-client-version", `1.${r.int(20, 60)}.0`]] });
  for (const tag of tags) d.tags.add(tag);
  return d;
}

export function graphqlBatch(r: Random): Draft {
  const tags = new Set<Tag>(["graphql"]);
  const ops = Array.from({ length: r.int(2, 3) }, () => operation(r, tags));
  const d = apiCall(r, { kind: "graphql", method: "POST", uri: "/graphql", body: jsonBodyFrom(r, ops), site: graphqlSite(r), audience: r.chance(0.5) ? "browser" : "mobile" });
  for (const tag of tags) d.tags.add(tag);
  return d;
}

/** A mobile client that sends the document with `application/graphql`-free JSON and a visitor-bound token. */
export function graphqlMobile(r: Random): Draft {
  const tags = new Set<Tag>(["graphql"]);
  const v = visitor(r, 1);
  const op = operation(r, tags);
  const d = apiCall(r, { kind: "graphql", method: "POST", uri: "/graphql", body: jsonBodyFrom(r, op), site: SITES.shop, audience: "mobile", visitor: v, extra: [["x-apollo-operation-name", op.operationName]] });
  for (const tag of tags) d.tags.add(tag);
  return d;
}
