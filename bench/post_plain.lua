-- post_plain.lua: POST an empty JSON object (baseline insert server)
wrk.method = "POST"
wrk.body = "{}"
wrk.headers["Content-Type"] = "application/json"
