-- wrk script: web ballots, each by a different verified voter (VOTERS: a file of "cookie csrf"
-- lines, one per voter, made by scripts/bench-participation.sh). Every voter casts once (each
-- ballot through the checks, the UNIQUE register and the audit entry); the thread stops after the
-- last voter's answer. Run with -t1.
local voters = {}
for line in io.lines(os.getenv("VOTERS")) do
  local cookie, csrf = line:match("^(%S+) (%S+)$")
  if cookie then voters[#voters + 1] = { cookie = cookie, csrf = csrf } end
end
local next_voter, answered = 0, 0
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"

request = function()
  next_voter = next_voter + 1
  local v = voters[((next_voter - 1) % #voters) + 1]
  wrk.headers["Cookie"] = v.cookie
  return wrk.format(nil, nil, nil, "csrf=" .. v.csrf .. "&option=1&option=3")
end

response = function(status, headers, body)
  answered = answered + 1
  if answered >= #voters then wrk.thread:stop() end
end
