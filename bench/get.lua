-- get.lua: GET a path given in env BENCH_PATH (wrk -s get.lua)
local path = os.getenv("BENCH_PATH") or "/"
request = function() return wrk.format("GET", path) end
