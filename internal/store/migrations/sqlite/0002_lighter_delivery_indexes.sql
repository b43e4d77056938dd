-- Fewer index writes per delivery on the hot path. A delivery is claimed
-- (queued -> sending) and then recorded (sending -> sent) once per message, and
-- each index that changes with it costs a B-tree delete or insert at both steps.
--
-- * deliveries_sending_since goes. The reconciler finds stale sending rows of
--   the alerts in progress through deliveries_alert_status (alert_id, channel,
--   'sending'): sending rows are few, only the chunks in flight.
-- * deliveries_provider becomes SMS only. Twilio's status callbacks name a
--   message by its SID, while an email's provider id is the Message-ID Muster
--   builds from the delivery id. Inserting every sent email's (random)
--   Message-ID cost about a fifth of RecordResults.
--   A statement prepared once should match the channel with channel IN (?)
--   rather than channel = ?: SQLite compares a bare variable with the index's
--   channel = 'sms' and then prepares the statement again each time it is bound.

DROP INDEX deliveries_sending_since;

DROP INDEX deliveries_provider;
-- Provider status callbacks (query with AND channel = 'sms' AND provider_id <> '' to use it).
CREATE INDEX deliveries_provider_sms ON deliveries (provider_id) WHERE channel = 'sms' AND provider_id <> '';
