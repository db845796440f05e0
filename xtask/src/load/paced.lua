-- wrk script: GET a path at a steady pace. Each connection waits `delay_ms` between requests,
-- so N connections make about N * 1000 / delay_ms requests per second (an open-ish load,
-- unlike wrk's default as-fast-as-possible loop).
local path, token, delay_ms = os.getenv("WRK_PATH"), os.getenv("WRK_TOKEN"), tonumber(os.getenv("WRK_DELAY_MS") or "0")
wrk.headers["Authorization"] = "Bearer " .. token
function request()
  return wrk.format("GET", path)
end
function delay()
  return delay_ms
end
