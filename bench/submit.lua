-- wrk script: street-light reports filed through the JSON API by a signed-in resident (the
-- session cookie and its anti-forgery token), each a new case. SUBMIT_SID and SUBMIT_CSRF come
-- from the environment (scripts/bench-cases.sh). A counter clerk's API token would file for the
-- resident too, but each such filing looks the resident up, and those lookups are limited per
-- staff account (a few dozen in ten minutes), as they should be.
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Cookie"] = "sid=" .. os.getenv("SUBMIT_SID")
wrk.headers["X-CSRF-Token"] = os.getenv("SUBMIT_CSRF")
wrk.body = '{"answers":{' ..
  '"location":"31.5326,35.0998","problem":"not_working",' ..
  '"description":"\216\167\217\132\216\185\217\133\217\136\216\175 \217\133\216\183\217\129\216\163"}}'
