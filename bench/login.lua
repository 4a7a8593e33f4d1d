-- wrk script: a flood of valid logins. LOGIN_BODY and LOGIN_COOKIE come from the environment
-- (scripts/bench-login.sh fills them with a registered resident and a form token).
wrk.method = "POST"
wrk.body = os.getenv("LOGIN_BODY")
wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"
wrk.headers["Cookie"] = os.getenv("LOGIN_COOKIE")
