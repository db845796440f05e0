-- wrk script: POST one outbound call per request, each with a unique external_id.
local token, agent = os.getenv("WRK_TOKEN"), os.getenv("WRK_AGENT")
local counter = 0
local thread_id = 0
local threads = {}
function setup(thread)
  thread:set("tid", #threads)
  table.insert(threads, thread)
end
function init(args)
  thread_id = tid
end
wrk.method = "POST"
wrk.headers["Authorization"] = "Bearer " .. token
wrk.headers["Content-Type"] = "application/json"
function request()
  counter = counter + 1
  local body = string.format(
    '{"direction":"outbound","agent_id":"%s","to":"+4420%08d","started_at":"2026-01-01T10:00:00Z","status":"completed","duration_seconds":60,"external_id":"wrk-%d-%d"}',
    agent, counter % 100000000, thread_id, counter)
  return wrk.format(nil, "/api/v1/calls", nil, body)
end
