// A tiny client written against the types openapi-typescript generates from docs/openapi.yaml
// (OpenApiToolsTest writes them to generated/openapi.d.ts, then runs tsc --noEmit on this file).
// If an operationId, a request field or a response field used here leaves the document, this
// stops compiling.
import type { components, operations, paths } from "../generated/openapi";

type Json<T> = T extends { content: { "application/json": infer B } } ? B : never;

type CreateEndpoint = Json<operations["createEndpoint"]["requestBody"]>;
type CreatedEndpoint = Json<operations["createEndpoint"]["responses"][201]>;
type PublishEvent = Json<operations["publishEvent"]["requestBody"]>;
type Accepted = Json<operations["publishEvent"]["responses"][202]>;
type EventPage = Json<operations["listEvents"]["responses"][200]>;
type EventType = components["schemas"]["EventType"];
type BatchBody = Json<paths["/platform/v1/events/batch"]["post"]["requestBody"]>;

// Only url and event_types are required; everything else has a default.
const endpoint: CreateEndpoint = { url: "https://example.com/hooks/partnerhooks", event_types: ["workspace.*"] };

const event: PublishEvent = {
  type: "workspace.seats.exhausted",
  partner_id: "ptn_01JD3X0000000000000000000A",
  idempotency_key: "seats-ws_acme-support-2026-11",
  data: { workspace_id: "ws_acme-support", seats_purchased: 10, seats_used: 10 },
};

const batch: BatchBody = { events: [event] };

async function call<T>(base: string, token: string, method: string, path: string, body?: unknown): Promise<T> {
  const res = await fetch(base + path, {
    method,
    headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (!res.ok) {
    const problem = (await res.json()) as components["schemas"]["Problem"];
    throw new Error(`${problem.status} ${problem.title}: ${problem.detail}`);
  }
  return (await res.json()) as T;
}

export async function demo(base: string, partnerKey: string, operatorToken: string): Promise<string[]> {
  const created = await call<CreatedEndpoint>(base, partnerKey, "POST", "/v1/endpoints", endpoint);
  const secret: string = created.secret;
  const accepted = await call<Accepted>(base, operatorToken, "POST", "/platform/v1/events", event);
  const isNew: boolean = accepted.created;
  const page = await call<EventPage>(base, partnerKey, "GET", "/v1/events?limit=10");
  const type = await call<EventType>(base, partnerKey, "GET", `/v1/event-types/${event.type}`);
  await call<unknown>(base, operatorToken, "POST", "/platform/v1/events/batch", batch);
  return [secret, accepted.id, String(isNew), type.name, ...page.data.map((e) => e.id)];
}
