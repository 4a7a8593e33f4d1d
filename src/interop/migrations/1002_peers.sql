-- Municipalities on other Baladiya servers this municipality exchanges with, each with the
-- Ed25519 key fetched once from its key set and pinned (hex), named by its key id.
CREATE TABLE interop_peers (
  id ${ID},
  municipality_id BIGINT NOT NULL,
  base_url TEXT NOT NULL,
  peer_municipality TEXT NOT NULL,
  keyid TEXT NOT NULL,
  public_key TEXT NOT NULL,
  registered_by TEXT NOT NULL,
  registered_at BIGINT NOT NULL,
  UNIQUE (municipality_id, keyid)
);
-- The nonces of signed messages a peer has sent (each accepted once), kept while their created
-- time is within twice the allowed skew.
CREATE TABLE interop_peer_nonces (
  peer_id BIGINT NOT NULL,
  nonce TEXT NOT NULL,
  seen_at BIGINT NOT NULL,
  PRIMARY KEY (peer_id, nonce)
);
