-- Channel instances configured at run time: type, settings (credentials included; never returned by the API),
-- and health (last inbound, last delivery, last delivery error). The call centre and line binding stays in
-- channel_bindings, keyed by the same id. `inbound_cursor` is the channel's own inbound position (Telegram's update offset);
-- the node that polls the channel holds `poll_owner` until `poll_lease_until` (two pollers of one bot fight: Telegram
-- answers one of them 409).
CREATE TABLE channels (
  id TEXT PRIMARY KEY,
  type TEXT NOT NULL,
  settings TEXT NOT NULL,
  enabled BIGINT NOT NULL,
  inbound_cursor TEXT,
  poll_owner TEXT,
  poll_lease_until BIGINT,
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL,
  last_inbound_at BIGINT,
  last_delivered_at BIGINT,
  last_error TEXT,
  last_error_at BIGINT
);
