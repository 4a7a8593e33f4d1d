-- wrk script: street-light reports filed through the JSON API by a counter clerk's API token,
-- each a new case. SUBMIT_TOKEN comes from the environment (scripts/bench-cases.sh).
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Authorization"] = "Bearer " .. os.getenv("SUBMIT_TOKEN")
wrk.body = '{"applicant_national_id":"401234562","answers":{' ..
  '"location":"31.5326,35.0998","problem":"not_working",' ..
  '"description":"\216\167\217\132\216\185\217\133\217\136\216\175 \217\133\216\183\217\129\216\163"}}'
