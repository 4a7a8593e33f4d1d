-- What the account security page shows of each live session (7.5.2): the browser and system in
-- plain words ("firefox/windows", keys of identity's messages, never the whole User-Agent) and
-- the client's address shortened to its network ("203.0.113.x", "2001:db8:1:2::/64").
ALTER TABLE sessions ADD COLUMN client_agent TEXT NOT NULL DEFAULT '';
ALTER TABLE sessions ADD COLUMN client_network TEXT NOT NULL DEFAULT '';
