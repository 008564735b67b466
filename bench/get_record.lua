-- get_record.lua: GET BENCH_PREFIX .. <id> with a bearer token, the id
-- drawn at random from the file BENCH_IDS (one identifier per line).
local token = os.getenv("BENCH_TOKEN") or ""
local prefix = os.getenv("BENCH_PREFIX") or "/"
local ids = {}
for line in io.lines(os.getenv("BENCH_IDS")) do ids[#ids + 1] = line end
local headers = { ["Authorization"] = "Bearer " .. token }
request = function()
  return wrk.format("GET", prefix .. ids[math.random(#ids)], headers)
end
