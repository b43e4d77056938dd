-- The consent loop.
-- * suppressions keeps a keyed hash (HMAC-SHA256 with a key derived from
--   MUSTER_SECRET) of an address or number that must not be subscribed again by
--   an import or the API: that of an erased supporter who had opted out or been
--   suppressed, and a number that texted STOP without being known. Only the
--   person themselves, through the join page, lifts it.
-- * subscriptions.confirm_sent_at: when the double opt-in email was last sent.
-- * campaigns.contact: the line HELP answers with; campaigns.sms_warning: the
--   last carrier complaint about the campaign's SMS (error 30007, filtering).
-- * subscriptions.confirm_sent_at counts for SMS too: the question "reply YES".
-- * deliveries.delivered_at: when the provider confirmed delivery.
CREATE TABLE suppressions (
	contact_hash BLOB   NOT NULL,
	channel      TEXT   NOT NULL,
	reason       TEXT   NOT NULL DEFAULT '',
	created_at   BIGINT NOT NULL,
	PRIMARY KEY (contact_hash, channel)
);
ALTER TABLE subscriptions ADD COLUMN confirm_sent_at BIGINT NOT NULL DEFAULT 0;
ALTER TABLE campaigns ADD COLUMN contact TEXT NOT NULL DEFAULT '';
ALTER TABLE campaigns ADD COLUMN sms_warning TEXT NOT NULL DEFAULT '';
-- 1 when the campaign's SMS subscriptions wait for a reply YES (SMS double opt-in).
ALTER TABLE campaigns ADD COLUMN sms_confirm_by_reply INTEGER NOT NULL DEFAULT 0;
ALTER TABLE deliveries ADD COLUMN delivered_at BIGINT NOT NULL DEFAULT 0;
-- Pending subscriptions whose confirmation is still to send.
CREATE INDEX subscriptions_unconfirmed ON subscriptions (confirm_sent_at) WHERE status = 'pending';
