// The official AgentPhone TypeScript SDK (npm `agentphone`, pinned in package.json), unchanged,
// against a Dialback demo server: both webhook resources, the usage counters they move, and
// the deliveries a receiver this script runs gets (the SDK has no signature helper; they are
// checked as its README's receivers would, with node:crypto); then every usage, calls, agents
// and numbers method Dialback serves, and the SDK's error classes on 401, 404 and 422.
//
// Run by `cargo xtask sdk` with DIALBACK_URL and DIALBACK_TOKEN set to a demo server (which
// allows receivers on 127.0.0.1).

import assert from "node:assert/strict";
import { createHmac, timingSafeEqual } from "node:crypto";
import { createServer } from "node:http";

import { AgentPhoneClient, AgentPhoneError, AgentPhone } from "agentphone";

const BASE = process.env.DIALBACK_URL;
const TOKEN = process.env.DIALBACK_TOKEN;
const client = new AgentPhoneClient({ token: TOKEN, baseUrl: BASE });
let checks = 0;
const check = (name, ok, detail = "") => {
  assert.ok(ok, `${name} ${detail}`);
  checks += 1;
};

function receiver() {
  const got = [];
  const server = createServer((req, res) => {
    const chunks = [];
    req.on("data", (c) => chunks.push(c));
    req.on("end", () => {
      got.push({ headers: req.headers, body: Buffer.concat(chunks) });
      res.writeHead(200).end("ok");
    });
  });
  return new Promise((resolve) =>
    server.listen(0, "127.0.0.1", () =>
      resolve({ url: `http://127.0.0.1:${server.address().port}/hook`, got, server }),
    ),
  );
}

async function waitFor(r, n, ms = 15000) {
  const until = Date.now() + ms;
  while (r.got.length < n && Date.now() < until) await new Promise((ok) => setTimeout(ok, 50));
  return r.got;
}

function signed({ headers, body }, secret) {
  const ts = headers["x-webhook-timestamp"];
  const expected = "sha256=" + createHmac("sha256", secret).update(`${ts}.`).update(body).digest("hex");
  const sig = Buffer.from(headers["x-webhook-signature"] ?? "");
  return sig.length === expected.length && timingSafeEqual(sig, Buffer.from(expected))
    && Math.abs(Date.now() / 1000 - Number(ts)) <= 300;
}

async function recordCall(to, status) {
  const res = await fetch(`${BASE}/api/v1/calls`, {
    method: "POST",
    headers: { authorization: `Bearer ${TOKEN}`, "content-type": "application/json" },
    body: JSON.stringify({
      direction: "inbound", from: "+15005550006", to, status, duration_seconds: 20,
      started_at: new Date().toISOString().replace(/\.\d+Z$/, "Z"),
    }),
  });
  assert.equal(res.status, 201);
}

const before = (await client.usage.getUsage()).stats;
const r = await receiver();
const hook = await client.webhooks.createOrUpdateWebhook({ body: { url: r.url, contextLimit: 3, timeout: 15 } });
check("webhooks.createOrUpdateWebhook", hook.url === r.url && hook.secret.startsWith("whsec_")
  && hook.contextLimit === 3 && hook.timeout === 15 && hook.status === "active", JSON.stringify(hook));
check("webhooks.getWebhook", JSON.stringify(await client.webhooks.getWebhook()) === JSON.stringify(hook));

const agents = (await client.agents.listAgents({ limit: 100 })).data;
// the demo's support line: an inbound agent with a number of its own
const line = agents.find((a) => a.numbers.some((n) => n.phoneNumber === "+14155550199"));
check("the demo's support line", line !== undefined);
await recordCall("+14155550199", "completed");
await recordCall("+14155550199", "voicemail");
const got = await waitFor(r, 2);
check("deliveries arrive", got.length >= 2);
for (const d of got) {
  check("each delivery is signed with the webhook's secret", signed(d, hook.secret));
  const event = JSON.parse(d.body);
  check("an agent.call_ended body", event.event === "agent.call_ended" && event.agentId === line.id
    && event.channel === "voice" && typeof event.data.callId === "string", d.body.toString());
}

await new Promise((ok) => setTimeout(ok, 500));
const ids = new Set(got.map((d) => d.headers["x-webhook-id"]));
const page = await client.webhooks.listDeliveries({ limit: 50 });
const listed = page.items.filter((d) => ids.has(d.id));
check("webhooks.listDeliveries", listed.length === ids.size && page.total >= ids.size
  && listed.every((d) => d.status === "delivered" && d.attemptCount === 1 && d.httpStatus === 200
    && d.eventType === "agent.call_ended"), JSON.stringify(page));
const stats = await client.webhooks.deliveryStats({ hours: 24 });
check("webhooks.deliveryStats", stats.total >= ids.size
  && stats.total === stats.success + stats.failed + stats.pending
  && typeof stats.byEventType["agent.call_ended"] === "object" && Array.isArray(stats.byHour), JSON.stringify(stats));
const allTime = await client.webhooks.allTimeStats();
check("webhooks.allTimeStats", allTime.total >= ids.size, JSON.stringify(allTime));
const test = await client.webhooks.testWebhook({ agentId: line.id });
check("webhooks.testWebhook", test.success === true && test.httpStatus === 200, JSON.stringify(test));
const tested = JSON.parse((await waitFor(r, got.length + 1)).at(-1).body);
check("the test names the agent asked for", tested.test === true && tested.agentId === line.id);

const own = await receiver();
const agentHook = await client.agentWebhooks.createOrUpdateAgentWebhook({ agent_id: line.id, body: { url: own.url } });
check("agentWebhooks.createOrUpdateAgentWebhook", agentHook.url === own.url && agentHook.secret !== hook.secret);
check("agentWebhooks.getAgentWebhook",
  JSON.stringify(await client.agentWebhooks.getAgentWebhook({ agent_id: line.id })) === JSON.stringify(agentHook));
await recordCall("+14155550199", "completed");
const mine = await waitFor(own, 1);
check("the agent's own webhook gets its events, signed with its secret", mine.length === 1 && signed(mine[0], agentHook.secret));
const testedOwn = await client.agentWebhooks.testAgentWebhook({ agent_id: line.id });
check("agentWebhooks.testAgentWebhook", testedOwn.success === true, JSON.stringify(testedOwn));
await new Promise((ok) => setTimeout(ok, 300));
const ownLog = await client.agentWebhooks.listAgentDeliveries({ agent_id: line.id, limit: 10 });
check("agentWebhooks.listAgentDeliveries is a list", Array.isArray(ownLog) && ownLog.length >= 2, JSON.stringify(ownLog));
await client.agentWebhooks.deleteAgentWebhook({ agent_id: line.id });
check("agentWebhooks.deleteAgentWebhook", (await client.agentWebhooks.getAgentWebhook({ agent_id: line.id })) === null);

const after = (await client.usage.getUsage()).stats;
check("usage counts the deliveries", after.totalWebhookDeliveries === before.totalWebhookDeliveries + 3
  && after.successfulWebhookDeliveries === before.successfulWebhookDeliveries + 3, JSON.stringify(after));
const daily = await client.usage.getDailyUsage({ days: 2 });
check("daily usage counts them", daily.data.reduce((n, d) => n + d.webhooks, 0) >= 3);

const deleted = await client.webhooks.deleteWebhook();
check("webhooks.deleteWebhook", deleted.success === true);
check("webhooks.getWebhook after delete", (await client.webhooks.getWebhook()) === null);

// the read surface a client of the AgentPhone API needs: agents, numbers, calls and usage
// together (the MCP server's account overview reads these), each method unchanged
const agentList = await client.agents.listAgents();
check("agents.listAgents", agentList.data.length === agents.length && agentList.total === agents.length
  && typeof agentList.hasMore === "boolean", JSON.stringify(agentList).slice(0, 200));
const one = await client.agents.getAgent({ agent_id: line.id });
check("agents.getAgent", one.id === line.id && one.name === line.name && Array.isArray(one.numbers));
const numbers = await client.numbers.listNumbers();
check("numbers.listNumbers", numbers.data.length > 0 && numbers.total === numbers.data.length);
const number = await client.numbers.getNumber({ number_id: numbers.data[0].id });
check("numbers.getNumber", number.id === numbers.data[0].id && number.phoneNumber === numbers.data[0].phoneNumber);
// the SDK's listCalls sends no limit: the default page of 20
const callPage = await client.calls.listCalls({ direction: "inbound" });
check("calls.listCalls", callPage.data.length === Math.min(20, callPage.total) && callPage.total > 0
  && callPage.hasMore === callPage.total > 20 && callPage.data.every((c) => c.direction === "inbound"),
  JSON.stringify({ n: callPage.data.length, total: callPage.total, hasMore: callPage.hasMore }));
const call = await client.calls.getCall({ call_id: callPage.data[0].id });
check("calls.getCall", call.id === callPage.data[0].id && call.startedAt === callPage.data[0].startedAt);
const byAgent = await client.agents.listAgentCalls({ agent_id: line.id, limit: 3 });
check("agents.listAgentCalls", byAgent.data.every((c) => c.agentId === line.id));
const ownNumber = one.numbers[0];
if (ownNumber) {
  const byNumber = await client.calls.listCallsForNumber({ number_id: ownNumber.id, limit: 3 });
  check("calls.listCallsForNumber", Array.isArray(byNumber.data) && typeof byNumber.total === "number");
}
const usageByAgent = await client.usage.getUsageByAgent({ period: "month", tz: "America/New_York" });
check("usage.getUsageByAgent", Array.isArray(usageByAgent.data) && usageByAgent.periodStart !== undefined,
  JSON.stringify(usageByAgent).slice(0, 200));
const monthly = await client.usage.getMonthlyUsage({ months: 3 });
check("usage.getMonthlyUsage", monthly.data.length === 3 && monthly.data.every((m) => typeof m.calls === "number"));
const byNumberUsage = await client.usage.getUsageByNumber();
check("usage.getUsageByNumber", Array.isArray(byNumberUsage.data ?? byNumberUsage));

// agents made and changed through the SDK are the environment's agents
const made = await client.agents.createAgent({ name: "SDK desk", beginMessage: "Hello from the SDK" });
check("agents.createAgent", typeof made.id === "string" && made.name === "SDK desk");
const renamed = await client.agents.updateAgent({ agent_id: made.id, name: "SDK desk (main)" });
check("agents.updateAgent", renamed.name === "SDK desk (main)");
const spare = await fetch(`${BASE}/api/v1/phone-numbers`, {
  method: "POST",
  headers: { Authorization: `Bearer ${TOKEN}`, "Content-Type": "application/json" },
  body: JSON.stringify({ number: "+14155550188" }),
}).then((r) => r.json());
const withNumber = await client.agents.attachNumberToAgent({ agent_id: made.id, numberId: spare.data.id });
check("agents.attachNumberToAgent", withNumber.numbers.some((n) => n.phoneNumber === "+14155550188"));
const talkoverView = await fetch(`${BASE}/api/v1/agents/${made.id}`, { headers: { Authorization: `Bearer ${TOKEN}` } })
  .then((r) => r.json());
check("the same agent through Talkover's API", talkoverView.data.name === "SDK desk (main)"
  && talkoverView.data.phone_numbers[0].number === "+14155550188");
await client.agents.detachNumberFromAgent({ agent_id: made.id, number_id: spare.data.id });
check("agents.detachNumberFromAgent", (await client.agents.getAgent({ agent_id: made.id })).numbers.length === 0);

// the SDK's error classes: 422 is UnprocessableEntityError; 401 and 404 are AgentPhoneError
// with their status
const fails = async (f) => { try { await f(); return null; } catch (e) { return e; } };
const invalid = await fails(() => client.usage.getDailyUsage({ days: 0 }));
check("422 is UnprocessableEntityError", invalid instanceof AgentPhone.UnprocessableEntityError
  && invalid.statusCode === 422, String(invalid));
const missing = await fails(() => client.agents.getAgent({ agent_id: "agt_missing" }));
check("404 is AgentPhoneError with statusCode 404", missing instanceof AgentPhoneError && missing.statusCode === 404,
  String(missing));
const notServed = await fails(() => client.agents.deleteAgent({ agent_id: made.id }));
check("agents.deleteAgent is 501 with the reason", notServed instanceof AgentPhoneError && notServed.statusCode === 501,
  String(notServed));
const stranger = new AgentPhoneClient({ token: "not-a-token", baseUrl: BASE });
const refused = await fails(() => stranger.usage.getUsage());
check("401 is AgentPhoneError with statusCode 401", refused instanceof AgentPhoneError && refused.statusCode === 401,
  String(refused));

r.server.close();
own.server.close();
console.log(`agentphone TypeScript SDK contract: ${checks} checks passed`);
