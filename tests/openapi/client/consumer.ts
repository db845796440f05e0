// A client a TypeScript user would write: types generated from Dialback's OpenAPI document
// (openapi-typescript), calls through openapi-fetch. `cargo xtask openapi-test` generates the
// types, compiles this with `tsc --strict` (so a wrong field or parameter fails the build) and
// runs it against a demo server.
import createClient from 'openapi-fetch';
import type { components, paths } from './schema.js';

type AgentBody = components['schemas']['AgentBody'];
// Node's environment, without a dependency on @types/node for one line
declare const process: { env: Record<string, string | undefined> };

const client = createClient<paths>({
  baseUrl: process.env.DIALBACK_URL,
  headers: { Authorization: `Bearer ${process.env.DIALBACK_TOKEN}` },
});

function check(what: string, ok: boolean, detail: unknown = ''): void {
  if (!ok) throw new Error(`${what}: ${JSON.stringify(detail)}`);
  console.log(`ok ${what}`);
}

const listed = await client.GET('/api/v1/agents', { params: { query: { direction: 'inbound', per_page: 5 } } });
check('list inbound agents', !!listed.data && listed.data.data.every((a: AgentBody) => a.direction === 'inbound'), listed.error);
const perPage: number = listed.data!.meta.per_page;
check('paging as documented', perPage === 5);

const created = await client.POST('/api/v1/agents', { body: { name: 'Typed client', direction: 'outbound', phone_numbers: ['+14155550181'] } });
check('create an agent', created.response.status === 200 && created.data?.data.current_status === 'draft', created.error);
const id: string = created.data!.data.id;

const got = await client.GET('/api/v1/agents/{id}', { params: { path: { id } } });
check('get it back', got.data?.data.phone_numbers[0]?.number === '+14155550181', got.error);

const published = await client.PATCH('/api/v1/agents/{id}', { params: { path: { id } }, body: { current_status: 'published' } });
check('publish it', published.data?.data.current_status === 'published', published.error);

const stats = await client.GET('/api/v1/callback-agents/stats', { params: { query: { tz: 'America/New_York' } } });
const received: number = stats.data!.data.total_callbacks_received;
check('callback stats', received >= stats.data!.data.callbacks_unmatched);

const usage = await client.GET('/v1/usage/by-agent', { params: { query: { period: 'week', tz: 'Europe/Paris' } } });
check('usage by agent', usage.data?.period === 'week' && Array.isArray(usage.data.data), usage.error);

const refused = await client.GET('/v1/usage/daily', { params: { query: { days: 0 } } });
const detail = refused.error?.detail;
check('a refusal comes back typed (FastAPI detail)',
  refused.response.status === 422 && Array.isArray(detail) && detail[0]?.type === 'greater_than_equal', refused.error);

const missing = await client.GET('/api/v1/agents/{id}', { params: { path: { id: '00000000-0000-4000-8000-000000000000' } } });
check('an unknown agent is 404 in Talkover\'s dialect', missing.response.status === 404 && missing.error?.code === 'AGENT_NOT_FOUND', missing.error);

// what the document forbids does not compile
// @ts-expect-error: not a period
void client.GET('/v1/usage/by-agent', { params: { query: { period: 'decade' } } });
// @ts-expect-error: `direction` is required
void client.POST('/api/v1/agents', { body: { name: 'No direction' } });

console.log('typed client: all checks passed');
