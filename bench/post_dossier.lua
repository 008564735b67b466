-- post_dossier.lua: POST /api/v1/dossiers with the bearer token in BENCH_TOKEN
-- and the JSON body in the file BENCH_BODY.
local token = os.getenv("BENCH_TOKEN")
local f = io.open(os.getenv("BENCH_BODY"), "r")
local body = f:read("*a")
f:close()
wrk.method = "POST"
wrk.body = body
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Authorization"] = "Bearer " .. token
