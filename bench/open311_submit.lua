-- wrk script: street-light reports filed through Open311 (POST requests.json, form-encoded) with
-- an API key, each a new case. OPEN311_KEY comes from the environment
-- (scripts/bench-open311.sh).
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/x-www-form-urlencoded; charset=utf-8"
wrk.body = "api_key=" .. os.getenv("OPEN311_KEY") ..
  "&jurisdiction_id=hebron&service_code=street-light-report&lat=31.5326&long=35.0998" ..
  "&address_string=%D8%B4%D8%A7%D8%B1%D8%B9+%D8%B9%D9%8A%D9%86+%D8%B3%D8%A7%D8%B1%D8%A9" ..
  "&description=%D8%A7%D9%84%D8%B9%D9%85%D9%88%D8%AF+%D9%85%D8%B7%D9%81%D8%A3" ..
  "&email=reporter%40example.org&attribute%5Bproblem%5D=not_working"
