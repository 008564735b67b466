-- get_record.lua: GET BENCH_PREFIX .. <id> with a bearer token, the id
-- drawn at random from the file BENCH_IDS (one identifier per line).
-- BENCH_THINK_MS > 0: each connection waits that long between requests
-- (wrk's delay(); the wait is not counted in the latency), so the server
-- is measured below saturation instead of flat out.
local token = os.getenv("BENCH_TOKEN") or ""
local prefix = os.getenv("BENCH_PREFIX") or "/"
local ids = {}
for line in io.lines(os.getenv("BENCH_IDS")) do ids[#ids + 1] = line end
local headers = { ["Authorization"] = "Bearer " .. token }
local think = tonumber(os.getenv("BENCH_THINK_MS") or "0") or 0
if think > 0 then
  delay = function() return think end
end
request = function()
  return wrk.format("GET", prefix .. ids[math.random(#ids)], headers)
end
