-- Cases transferred to and from peers. direction 'out': our case (local_tracking) queued for a
-- peer, delivered with retries (attempts, next_at) until its signed answer: accepted with the
-- peer's tracking number (remote_tracking) or refused with a reason; 'failed' after the last
-- attempt. direction 'in': a case a peer sent (remote_tracking theirs), filed here as
-- local_tracking, with the document as received (its history). transfer_id is the sender's.
CREATE TABLE interop_transfers (
  id ${ID},
  municipality_id BIGINT NOT NULL,
  direction TEXT NOT NULL,
  transfer_id TEXT NOT NULL,
  peer_id BIGINT NOT NULL,
  peer_municipality TEXT NOT NULL,
  peer_url TEXT NOT NULL,
  local_tracking TEXT NOT NULL,
  remote_tracking TEXT NOT NULL,
  body TEXT NOT NULL,
  state TEXT NOT NULL,
  reason TEXT NOT NULL,
  attempts INTEGER NOT NULL,
  next_at BIGINT NOT NULL,
  created_by TEXT NOT NULL,
  created_at BIGINT NOT NULL,
  answered_at BIGINT NOT NULL
);
CREATE INDEX interop_transfers_due ON interop_transfers (state, next_at);
CREATE INDEX interop_transfers_case ON interop_transfers (local_tracking);
