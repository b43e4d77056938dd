-- The first schema of Muster on SQLite.
--
-- Choices, and why:
-- * Timestamps are BIGINT unix milliseconds, NOT NULL, with 0 for "never": time
--   arithmetic stays in Go, and PostgreSQL will read the same numbers.
-- * Booleans are INTEGER 0/1; JSON documents are TEXT, '' when empty.
-- * Ids are INTEGER PRIMARY KEY AUTOINCREMENT: an id is never reused, even after
--   an erasure, so an old signed link can never point at someone else.
-- * Empty email and phone are NULL, so that UNIQUE lets many supporters have none.
-- * subscriptions is keyed (campaign_id, supporter_id, channel) rather than by
--   (campaign_id, channel, supporter_id): fan-out and listings walk a campaign's
--   supporters in id order over several channels at once, which this order (and
--   the (campaign_id, status, supporter_id, channel) index) serves without a sort.
-- * Erasing a supporter (GDPR) deletes their tags and subscriptions and keeps
--   their deliveries with supporter_id NULL, so an alert's counts survive.
-- * deliveries' pending states have partial indexes: the reconciler looks only
--   at queued and sending rows, and sent rows leave those indexes for good.

CREATE TABLE api_keys (
	id           INTEGER PRIMARY KEY AUTOINCREMENT,
	name         TEXT    NOT NULL UNIQUE,
	role         TEXT    NOT NULL,
	hash         BLOB    NOT NULL UNIQUE,
	created_at   BIGINT  NOT NULL,
	revoked_at   BIGINT  NOT NULL DEFAULT 0,
	last_used_at BIGINT  NOT NULL DEFAULT 0
);

CREATE TABLE campaigns (
	id                        INTEGER PRIMARY KEY AUTOINCREMENT,
	slug                      TEXT   NOT NULL UNIQUE,
	name                      TEXT   NOT NULL,
	locale                    TEXT   NOT NULL DEFAULT '',
	timezone                  TEXT   NOT NULL DEFAULT '',
	email_from                TEXT   NOT NULL DEFAULT '',
	email_reply_to            TEXT   NOT NULL DEFAULT '',
	sms_from                  TEXT   NOT NULL DEFAULT '',
	sms_messaging_service_sid TEXT   NOT NULL DEFAULT '',
	created_at                BIGINT NOT NULL,
	updated_at                BIGINT NOT NULL
);

CREATE TABLE supporters (
	id         INTEGER PRIMARY KEY AUTOINCREMENT,
	email      TEXT UNIQUE,
	phone      TEXT UNIQUE,
	name       TEXT   NOT NULL DEFAULT '',
	locale     TEXT   NOT NULL DEFAULT '',
	country    TEXT   NOT NULL DEFAULT '',
	timezone   TEXT   NOT NULL DEFAULT '',
	created_at BIGINT NOT NULL,
	updated_at BIGINT NOT NULL
);

CREATE TABLE supporter_tags (
	supporter_id INTEGER NOT NULL REFERENCES supporters (id) ON DELETE CASCADE,
	tag          TEXT    NOT NULL,
	PRIMARY KEY (supporter_id, tag)
);
CREATE INDEX supporter_tags_tag ON supporter_tags (tag, supporter_id);

CREATE TABLE subscriptions (
	campaign_id  INTEGER NOT NULL REFERENCES campaigns (id) ON DELETE CASCADE,
	supporter_id INTEGER NOT NULL REFERENCES supporters (id) ON DELETE CASCADE,
	channel      TEXT    NOT NULL,
	status       TEXT    NOT NULL,
	source       TEXT    NOT NULL DEFAULT '',
	consent_text TEXT    NOT NULL DEFAULT '',
	consent_ip   TEXT    NOT NULL DEFAULT '',
	reason       TEXT    NOT NULL DEFAULT '',
	created_at   BIGINT  NOT NULL,
	updated_at   BIGINT  NOT NULL,
	confirmed_at BIGINT  NOT NULL DEFAULT 0,
	PRIMARY KEY (campaign_id, supporter_id, channel)
);
CREATE INDEX subscriptions_audience ON subscriptions (campaign_id, status, supporter_id, channel);
CREATE INDEX subscriptions_supporter ON subscriptions (supporter_id);

CREATE TABLE alerts (
	id              INTEGER PRIMARY KEY AUTOINCREMENT,
	campaign_id     INTEGER NOT NULL REFERENCES campaigns (id) ON DELETE CASCADE,
	status          TEXT    NOT NULL,
	template        TEXT    NOT NULL DEFAULT '',
	content         TEXT    NOT NULL DEFAULT '',
	data            TEXT    NOT NULL DEFAULT '',
	audience        TEXT    NOT NULL DEFAULT '',
	channels        TEXT    NOT NULL,            -- comma-separated, in AllChannels order
	send_at         BIGINT  NOT NULL DEFAULT 0,
	expires_at      BIGINT  NOT NULL DEFAULT 0,
	urgent          INTEGER NOT NULL DEFAULT 0,
	idempotency_key TEXT,                        -- NULL when none
	audience_size   BIGINT  NOT NULL DEFAULT 0,
	fanout_cursor   BIGINT  NOT NULL DEFAULT 0,  -- last supporter id fanned out
	fanout_done     INTEGER NOT NULL DEFAULT 0,
	blocked         TEXT    NOT NULL DEFAULT '', -- JSON {channel: reason}
	created_at      BIGINT  NOT NULL,
	updated_at      BIGINT  NOT NULL,
	completed_at    BIGINT  NOT NULL DEFAULT 0,
	UNIQUE (campaign_id, idempotency_key)
);
CREATE INDEX alerts_status ON alerts (status, fanout_done);

CREATE TABLE deliveries (
	id              INTEGER PRIMARY KEY AUTOINCREMENT,
	alert_id        INTEGER NOT NULL REFERENCES alerts (id) ON DELETE CASCADE,
	supporter_id    INTEGER REFERENCES supporters (id) ON DELETE SET NULL,
	channel         TEXT    NOT NULL,
	status          TEXT    NOT NULL,
	attempts        INTEGER NOT NULL DEFAULT 0,
	failures        INTEGER NOT NULL DEFAULT 0,
	provider_id     TEXT    NOT NULL DEFAULT '',
	error_code      TEXT    NOT NULL DEFAULT '',
	error_class     TEXT    NOT NULL DEFAULT '',
	error_message   TEXT    NOT NULL DEFAULT '',
	ambiguous       INTEGER NOT NULL DEFAULT 0,
	next_attempt_at BIGINT  NOT NULL DEFAULT 0,
	created_at      BIGINT  NOT NULL,
	updated_at      BIGINT  NOT NULL,
	sent_at         BIGINT  NOT NULL DEFAULT 0,
	UNIQUE (alert_id, channel, supporter_id)
);
-- Claims, counts and listings: (alert, channel, status) then id, which SQLite
-- appends to every index, so a batch's id range is a range of this index.
CREATE INDEX deliveries_alert_status ON deliveries (alert_id, channel, status);
-- The reconciler: queued rows that are due, sending rows that went stale.
CREATE INDEX deliveries_queued_due ON deliveries (next_attempt_at) WHERE status = 'queued';
CREATE INDEX deliveries_sending_since ON deliveries (updated_at) WHERE status = 'sending';
-- Provider status callbacks (query with AND provider_id <> '' to use it).
CREATE INDEX deliveries_provider ON deliveries (provider_id) WHERE provider_id <> '';
-- Erasing a supporter sets their deliveries' supporter_id to NULL.
CREATE INDEX deliveries_supporter ON deliveries (supporter_id);
