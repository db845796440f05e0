"""The official AgentPhone SDK (PyPI `agentphone`), unchanged, against a Dialback server.

Every method of the SDK whose endpoint Dialback serves is called through the SDK's own
client classes, sync and async, and its parsed models are checked against each other:
what the SDK can parse, a user's code can use. Endpoints Dialback leaves out answer
errors the SDK raises as its own exception types.

Webhooks: the SDK's webhook resource, and its `verify_webhook` and `construct_event` on every
delivery, sent to a receiver this script runs on 127.0.0.1 (the demo server allows private
receivers).

Run by `cargo xtask sdk` with DIALBACK_URL and DIALBACK_TOKEN set to a demo server, and
DIALBACK_LIMITED_URL and DIALBACK_LIMITED_TOKEN to one started with `--rate-limit 3`.
"""

import asyncio
import datetime
import http.server
import json
import os
import sys
import threading
import time
import urllib.request

import agentphone.webhook
from agentphone import AgentPhone, AsyncAgentPhone
from agentphone._http import AgentPhoneError, AuthenticationError, NotFoundError, RateLimitError
from agentphone.webhook import WebhookVerificationError, construct_event, verify_webhook

BASE = os.environ["DIALBACK_URL"]
TOKEN = os.environ["DIALBACK_TOKEN"]
checked = []


def check(name, ok, detail=""):
    if not ok:
        sys.exit(f"FAIL {name} {detail}")
    checked.append(name)


def raises(name, kind, status, call):
    try:
        call()
    except kind as e:
        check(name, e.status == status, f"status {e.status}: {e.message}")
        return
    except Exception as e:  # the wrong exception type is a contract break too
        sys.exit(f"FAIL {name}: raised {type(e).__name__}: {e}")
    sys.exit(f"FAIL {name}: no error")


def usage(client):
    summary = client.usage.get()
    check("usage.get numbers", summary.numbers.used + summary.numbers.remaining == summary.numbers.limit)
    stats = summary.stats
    check("usage.get rolling windows nest",
          stats.calls_last_24h <= stats.calls_last_7d <= stats.calls_last_30d <= stats.total_calls
          and stats.messages_last_24h <= stats.messages_last_7d <= stats.messages_last_30d <= stats.total_messages,
          str(stats))
    start = datetime.datetime.fromisoformat(summary.period_start.replace("Z", "+00:00"))
    end = datetime.datetime.fromisoformat(summary.period_end.replace("Z", "+00:00"))
    check("usage.get period is this month (UTC)", start.day == 1 and start < end
          and (end + datetime.timedelta(seconds=1)).day == 1, f"{start} {end}")

    daily = client.usage.get_daily(days=7)
    check("usage.get_daily length", daily.days == 7 and len(daily.data) == 7)
    dates = [datetime.date.fromisoformat(p.date) for p in daily.data]
    check("usage.get_daily consecutive days, oldest first",
          all((b - a).days == 1 for a, b in zip(dates, dates[1:])), str(dates))
    check("usage.get_daily default is 30 days", client.usage.get_daily().days == 30)

    monthly = client.usage.get_monthly(months=3)
    check("usage.get_monthly length", monthly.months == 3 and len(monthly.data) == 3)
    check("usage.get_monthly default is 6 months", len(client.usage.get_monthly().data) == 6)
    this_month = monthly.data[-1]
    check("usage.get_monthly ends with this month", this_month.month == start.strftime("%Y-%m"))

    # the month's days add up to the month; by agent and by number add up to it too
    month_days = client.usage.get_daily(days=dates[-1].day)  # the 1st to today
    by_agent = client.usage.get_by_agent()
    by_agent_month = client.usage.get_by_agent(period="month")
    by_number = client.usage.get_by_number()
    if client.usage.get().period_start == summary.period_start:  # not across a month boundary
        days_in_month = [p for p in month_days.data if p.date.startswith(this_month.month)]
        check("daily adds up to monthly",
              (sum(p.calls for p in days_in_month), sum(p.messages for p in days_in_month))
              == (this_month.calls, this_month.messages))
        check("by-agent adds up to monthly",
              (sum(r["calls"] for r in by_agent["data"]), sum(r["messages"] for r in by_agent["data"]))
              == (this_month.calls, this_month.messages), str(by_agent))
        check("by-number adds up to monthly",
              (sum(r["calls"] for r in by_number), sum(r["messages"] for r in by_number))
              == (this_month.calls, this_month.messages))
        check("by-agent default period is the month", by_agent == by_agent_month)
    check("by-agent has one Unassigned row",
          sum(1 for r in by_agent["data"] if r["isOrphan"]) <= 1
          and all(r["agentId"] is None for r in by_agent["data"] if r["isOrphan"]))
    for period in ("week", "year"):
        rows = client.usage.get_by_agent(period=period)
        check(f"by-agent {period}", rows["period"] == period and isinstance(rows["data"], list))
    return by_number


def calls(client, by_number):
    page = client.calls.list(limit=5)
    check("calls.list page", len(page.data) == 5 and page.total >= 5 and page.has_more == (page.total > 5))
    first = page.data[0]
    again = client.calls.get(first.id)
    check("calls.get equals the list item", again == first, f"{again} != {first}")
    later = client.calls.list(limit=5, offset=5)
    check("calls.list offset", not {c.id for c in later.data} & {c.id for c in page.data})
    inbound = client.calls.list(limit=20, direction="inbound", status="completed")
    check("calls.list filters",
          all(c.direction == "inbound" and c.status == "completed" for c in inbound.data))

    agent_id = next(c.agent_id for c in page.data + later.data if c.agent_id)
    of_agent = client.agents.list_calls(agent_id, limit=10)
    check("agents.list_calls", of_agent.data and all(c.agent_id == agent_id for c in of_agent.data))
    number = next(n for n in by_number if n["calls"])
    of_number = client.numbers.list_calls(number["numberId"], limit=10)
    check("numbers.list_calls",
          of_number.data and all(c.phone_number_id == number["numberId"] for c in of_number.data))

    raises("calls.get unknown id", NotFoundError, 404, lambda: client.calls.get("no-such-call"))
    raises("usage.get_daily(days=0) is refused", AgentPhoneError, 422,
           lambda: client.usage.get_daily(days=0))
    raises("usage.get_monthly(months=25) is refused", AgentPhoneError, 422,
           lambda: client.usage.get_monthly(months=25))
    raises("usage.get_by_agent(period='decade') is refused", AgentPhoneError, 422,
           lambda: client.usage.get_by_agent(period="decade"))
    raises("calls.make is not supported", AgentPhoneError, 501,
           lambda: client.calls.make(agent_id=agent_id, to_number="+14155550000"))


def directory(client, by_number):
    """Agents and numbers: the environment's own, in the SDK's models, paged."""
    agents = client.agents.list(limit=100)
    check("agents.list", agents.total == len(agents.data) and agents.data and not agents.has_more,
          f"{agents.total} {len(agents.data)}")
    first = client.agents.list(limit=1)
    check("agents.list limit", len(first.data) == 1 and first.has_more == (agents.total > 1))
    one = client.agents.get(agents.data[0].id)
    check("agents.get equals the list item", one == agents.data[0], f"{one} != {agents.data[0]}")
    check("an agent's numbers", all(n.phone_number.startswith("+") for a in agents.data for n in a.numbers))
    numbers = client.numbers.list(limit=100)
    check("numbers.list", numbers.total == len(numbers.data) and numbers.data)
    check("numbers.list is usage by number's numbers",
          {n.id for n in numbers.data} == {n["numberId"] for n in by_number})
    number = client.numbers.get(numbers.data[0].id)
    check("numbers.get equals the list item", number == numbers.data[0], f"{number} != {numbers.data[0]}")
    owned = {n.id for a in agents.data for n in a.numbers}
    check("agents' numbers are numbers", owned <= {n.id for n in numbers.data})
    check("a number's agent is an agent",
          all(n.agent_id in {a.id for a in agents.data} for n in numbers.data if n.agent_id))
    raises("agents.get unknown id", NotFoundError, 404, lambda: client.agents.get("agt_nobody"))
    raises("numbers.get unknown id", NotFoundError, 404, lambda: client.numbers.get("num_nothing"))
    made = client.agents.create(name="New desk", begin_message="Hello there", voice_mode="hosted")
    check("agents.create", made.name == "New desk" and made.id, f"{made}")
    check("agents.update", client.agents.update(made.id, name="New desk (main)").name == "New desk (main)")
    # a number of the environment's own (Dialback adds numbers through Talkover's API)
    req = urllib.request.Request(
        os.environ["DIALBACK_URL"] + "/api/v1/phone-numbers", method="POST",
        data=json.dumps({"number": "+14155550177"}).encode(),
        headers={"Authorization": "Bearer " + os.environ["DIALBACK_TOKEN"], "Content-Type": "application/json"})
    with urllib.request.urlopen(req) as r:
        spare = json.loads(r.read())["data"]["id"]
    client.agents.attach_number(made.id, spare)
    check("agents.attach_number", [n.id for n in client.agents.get(made.id).numbers] == [spare])
    client.agents.detach_number(made.id, spare)
    check("agents.detach_number", client.agents.get(made.id).numbers == [])
    raises("agents.delete is not supported", AgentPhoneError, 501,
           lambda: client.agents.delete(made.id))


class Receiver:
    """A webhook receiver on 127.0.0.1, as a user would run one: it keeps each delivery's raw
    body and headers, and answers 200."""

    def __init__(self):
        self.got = []
        outer = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                outer.got.append((dict(self.headers), body))
                self.send_response(200)
                self.end_headers()
                self.wfile.write(b"ok")

            def log_message(self, *args):
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/hook"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def wait_for(self, n, seconds=15):
        until = time.time() + seconds
        while len(self.got) < n and time.time() < until:
            time.sleep(0.05)
        return list(self.got)


def talkover(method, path, body=None):
    req = urllib.request.Request(BASE + path, method=method,
                                 data=None if body is None else json.dumps(body).encode())
    req.add_header("Authorization", "Bearer " + TOKEN)
    req.add_header("Content-Type", "application/json")
    with urllib.request.urlopen(req) as r:
        return json.loads(r.read())


def record_call(to, status="completed"):
    return talkover("POST", "/api/v1/calls", {
        "direction": "inbound", "from": "+15005550006", "to": to, "status": status,
        "duration_seconds": 30,
        "started_at": datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")})


def header(headers, name):
    return next(v for k, v in headers.items() if k.lower() == name.lower())


def webhooks(client):
    """The SDK's webhook resource, and its verify_webhook and construct_event on every
    delivery the server sends to a receiver this script runs."""
    before = client.usage.get().stats
    receiver = Receiver()
    hook = client.webhooks.set(receiver.url, context_limit=5, timeout=10)
    check("webhooks.set", hook.url == receiver.url and hook.secret.startswith("whsec_")
          and hook.status == "active" and hook.context_limit == 5 and hook.timeout == 10, str(hook))
    again = client.webhooks.get()
    check("webhooks.get", again == hook, f"{again} != {hook}")
    renewed = client.webhooks.set(receiver.url)
    check("a new secret on every set", renewed.secret != hook.secret and renewed.id == hook.id)
    secret = renewed.secret

    agents = client.agents.list(limit=100).data
    # the demo's support line: an inbound agent with a number of its own
    line = next(a for a in agents if any(n.phone_number == "+14155550199" for n in a.numbers))
    record_call(line.numbers[0].phone_number)
    record_call(line.numbers[0].phone_number, status="busy")
    got = receiver.wait_for(2)
    check("deliveries arrive", len(got) >= 2, str(got))
    events = []
    for headers, body in got:
        sig, ts = header(headers, "X-Webhook-Signature"), header(headers, "X-Webhook-Timestamp")
        verify_webhook(body, sig, secret, ts)
        event = construct_event(body, sig, secret, ts)
        events.append(event)
        check("construct_event parses a delivery", event.event.startswith("agent.")
              and event.agent_id == line.id and event.timestamp, str(event))
        try:
            verify_webhook(body.replace(b"+15005550006", b"+15005550007"), sig, secret, ts)
            sys.exit("FAIL a tampered body was accepted")
        except WebhookVerificationError:
            check("a tampered body is refused", True)
        real = agentphone.webhook.time.time
        agentphone.webhook.time.time = lambda: real() + 301
        try:
            verify_webhook(body, sig, secret, ts)
            sys.exit("FAIL a stale timestamp was accepted")
        except WebhookVerificationError:
            check("a stale timestamp is refused", True)
        finally:
            agentphone.webhook.time.time = real
        try:
            verify_webhook(body, sig, "whsec_other", ts)
            sys.exit("FAIL another secret was accepted")
        except WebhookVerificationError:
            check("another secret is refused", True)
    ended = [e for e in events if e.event == "agent.call_ended"]
    check("agent.call_ended for each call", len(ended) == 2
          and {e.data.status for e in ended} == {"completed", "busy"}
          and all(e.data.call_id and e.channel == "voice" for e in ended), str(ended))

    time.sleep(0.5)
    ids = {header(h, "X-Webhook-ID") for h, _ in got}
    log = client.webhooks.list_deliveries(limit=50)
    check("webhooks.list_deliveries", ids <= {d.id for d in log}
          and all(d.status == "delivered" and d.attempt_count == 1 and d.http_status == 200
                  for d in log if d.id in ids), str(log))
    check("webhooks.list_deliveries hours", {d.id for d in client.webhooks.list_deliveries(hours=1)} >= ids)
    stats = client.webhooks.get_delivery_stats(hours=24)
    check("webhooks.get_delivery_stats", stats.total >= len(ids) and stats.success >= len(ids)
          and stats.total == stats.success + stats.failed + stats.pending, str(stats))
    all_time = client.webhooks.get_all_time_stats()
    check("webhooks.get_all_time_stats", all_time["total"] >= len(ids), str(all_time))

    result = client.webhooks.test(message="ping from the contract")
    check("webhooks.test", result["success"] is True and result["httpStatus"] == 200, str(result))
    headers, body = receiver.wait_for(len(got) + 1)[-1]
    test = construct_event(body, header(headers, "X-Webhook-Signature"), secret,
                           header(headers, "X-Webhook-Timestamp"))
    check("a test delivery is marked test", test.test is True and test.event == "agent.message"
          and test.data.message == "ping from the contract", str(test))

    # an agent's own webhook takes its events instead of the project's
    own = Receiver()
    agent_hook = client.agents.set_webhook(line.id, own.url)
    check("agents.set_webhook", agent_hook.url == own.url and agent_hook.secret != secret)
    check("agents.get_webhook", client.agents.get_webhook(line.id) == agent_hook)
    record_call(line.numbers[0].phone_number)
    mine = own.wait_for(1)
    check("the agent's webhook gets its events", len(mine) >= 1)
    for headers, body in mine:
        verify_webhook(body, header(headers, "X-Webhook-Signature"), agent_hook.secret,
                       header(headers, "X-Webhook-Timestamp"))
    check("agents.test_webhook", client.agents.test_webhook(line.id)["success"] is True)
    time.sleep(0.3)
    own_log = client.agents.list_webhook_deliveries(line.id, limit=10)
    check("agents.list_webhook_deliveries", len(own_log) >= 2 and all(d.id for d in own_log), str(own_log))
    client.agents.delete_webhook(line.id)
    check("agents.delete_webhook", client.agents.get_webhook(line.id) is None)

    after = client.usage.get().stats
    # three calls, each one agent.call_ended (the support line is no callback agent); tests
    # are listed in the log and counted nowhere else
    check("usage counts deliveries", after.total_webhook_deliveries == before.total_webhook_deliveries + 3
          and after.successful_webhook_deliveries == before.successful_webhook_deliveries + 3, str(after))
    check("daily usage counts them", sum(p.webhooks for p in client.usage.get_daily(days=2).data) >= 3)
    check("monthly usage counts them", client.usage.get_monthly(months=1).data[-1].webhooks >= 3)

    deleted = client.webhooks.delete()
    check("webhooks.delete", deleted == {"success": True}, str(deleted))
    check("webhooks.get after delete", client.webhooks.get() is None)
    raises("webhooks.test without a webhook", NotFoundError, 404, lambda: client.webhooks.test())


async def async_client():
    async with AsyncAgentPhone(api_key=TOKEN, base_url=BASE) as client:
        summary = await client.usage.get()
        check("async usage.get", summary.numbers.limit > 0)
        check("async usage.get_daily", len((await client.usage.get_daily(days=3)).data) == 3)
        check("async usage.get_monthly", len((await client.usage.get_monthly(months=2)).data) == 2)
        check("async usage.get_by_number", isinstance(await client.usage.get_by_number(), list))
        check("async usage.get_by_agent", "data" in await client.usage.get_by_agent(period="week"))
        page = await client.calls.list(limit=3)
        check("async calls.list", len(page.data) == 3)
        check("async calls.get", (await client.calls.get(page.data[0].id)) == page.data[0])
        agents = await client.agents.list(limit=2)
        check("async agents.list", len(agents.data) == 2)
        check("async agents.get", (await client.agents.get(agents.data[0].id)) == agents.data[0])
        numbers = await client.numbers.list(limit=2)
        check("async numbers.get", (await client.numbers.get(numbers.data[0].id)) == numbers.data[0])
    async with AsyncAgentPhone(api_key="wrong-key", base_url=BASE) as client:
        try:
            await client.usage.get()
            sys.exit("FAIL async wrong key: no error")
        except AuthenticationError as e:
            check("async wrong key", e.status == 401)


def rate_limited():
    """Past `--rate-limit 3`, the SDK raises its own RateLimitError (429), sync and async."""
    base, token = os.environ["DIALBACK_LIMITED_URL"], os.environ["DIALBACK_LIMITED_TOKEN"]
    client = AgentPhone(api_key=token, base_url=base)
    for _ in range(3):
        client.usage.get()
    try:
        client.usage.get_by_agent(period="month")
        sys.exit("FAIL rate limit: the 4th request in a minute was answered")
    except RateLimitError as e:
        check("over the rate limit is a RateLimitError", e.status == 429, f"status {e.status}")
        check("its message says the limit", "Rate limit" in str(e.message), e.message)
        print(f"  RateLimitError as the SDK raises it: status={e.status} message={e.message!r}")

    async def again():
        async with AsyncAgentPhone(api_key=token, base_url=base) as client:
            try:
                await client.usage.get_daily(days=7)
                sys.exit("FAIL async rate limit: answered")
            except RateLimitError as e:
                check("async over the rate limit", e.status == 429)
    asyncio.run(again())


def main():
    client = AgentPhone(api_key=TOKEN, base_url=BASE)
    by_number = usage(client)
    calls(client, by_number)
    directory(client, by_number)
    webhooks(client)
    raises("a wrong key is an AuthenticationError", AuthenticationError, 401,
           lambda: AgentPhone(api_key="wrong-key", base_url=BASE).usage.get())
    asyncio.run(async_client())
    rate_limited()
    print(f"agentphone SDK contract: {len(checked)} checks passed")


main()
