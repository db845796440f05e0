// Types of `dialback-core/live`.

/** The event types, as the server names them (`?types=`). */
export type EventType =
  | 'event_phone_call_ended'
  | 'event_callback_routed'
  | 'event_message_received'
  | 'event_agent_changed'
  | 'event_number_changed';

/** A routing decision, as `GET /api/v1/calls` shows it on an inbound call. */
export interface Routing {
  outcome: 'matched' | 'unmatched' | 'not_callback_agent' | 'number_not_owned';
  reason_code: string;
  explanation: string;
  [key: string]: unknown;
}

/** A call as `GET /api/v1/calls` shows it. */
export interface CallObject {
  id: string;
  sid?: string | null;
  to: string;
  from?: string | null;
  direction: 'inbound' | 'outbound';
  status: string;
  duration: number;
  created_at: string;
  external_id?: string;
  routing?: Routing;
  [key: string]: unknown;
}

/** A received message (Dialback keeps no text). */
export interface MessageObject {
  messageId: string;
  conversationId?: string | null;
  numberId?: string | null;
  from: string;
  to: string;
  direction: 'inbound';
  receivedAt: string;
}

/** An agent as `GET /api/v1/agents/{id}` shows it. */
export interface AgentObject {
  id: string;
  name: string;
  direction: 'inbound' | 'outbound';
  current_status: 'draft' | 'published';
  phone_numbers: { id: string; number: string; [key: string]: unknown }[];
  callback_config?: { source_agent_ids: string[]; lookback_days?: number | null; callback_trigger_statuses?: string[] | null };
  [key: string]: unknown;
}

/** A number as `GET /api/v1/phone-numbers` lists it. */
export interface NumberObject {
  id: string;
  number: string;
  [key: string]: unknown;
}

interface Envelope<E extends EventType, D> {
  /** What `Last-Event-ID` resumes after. */
  id: string;
  event: E;
  agent_id: string | null;
  agent_name: string | null;
  timestamp: string;
  data: D;
}

/** An event, checked by the core. */
export type LiveEvent =
  | Envelope<'event_phone_call_ended' | 'event_callback_routed', CallObject>
  | Envelope<'event_message_received', MessageObject>
  | Envelope<'event_agent_changed', AgentObject>
  | Envelope<'event_number_changed', NumberObject>;

/** What was missed is no longer kept (or the id is ahead of the log): reload what you show;
 * the stream goes on after `id`. */
export interface Reset {
  event: 'reset';
  id: string;
  code: 'EVENTS_EXPIRED' | 'EVENTS_AHEAD';
  message: string;
}

export interface StreamOptions {
  /** An API token of the environment. */
  token: string;
  /** Only these types (absent: all). */
  types?: EventType[];
  /** Only the events that involve this agent. */
  agentId?: string;
  /** Resume after this event. */
  lastEventId?: string;
  /** Ends the stream. */
  signal?: AbortSignal;
  /** Reconnect (with backoff, resuming after the last id) when the connection ends; default true. */
  reconnect?: boolean;
  /** The `fetch` to use (default: the global one). */
  fetch?: typeof fetch;
}

/** The server's events as they commit, each checked by the core; reconnects by itself.
 * Throws a `DialbackError` (with `code`) for a refused request (`UNAUTHORIZED`,
 * `INVALID_EVENT_TYPE`, `TOO_MANY_STREAMS`, …) or an event that does not add up
 * (`EVENT_UNREADABLE`). */
export function streamEvents(baseUrl: string, options: StreamOptions): AsyncGenerator<LiveEvent | Reset, void, void>;

/** The incremental reader behind `streamEvents`, for your own transport. */
export class EventReader {
  constructor();
  /** The items `chunk` completes, as JSON text of an array: `{id, body}` for a checked event,
   * `{reset: {id, code, message}}`, `{error: {code, message, id}}`. */
  push(chunk: Uint8Array): string;
  readonly lastEventId: string | undefined;
  readonly retryMs: number | undefined;
  free(): void;
}

/** The query string for `types` and `agentId`, checked as the server checks it. */
export function eventsQuery(types?: string[] | null, agentId?: string | null): string;

/** Browsers: fetches the module now (`streamEvents` does it on first use). */
export function initLive(): Promise<unknown>;
