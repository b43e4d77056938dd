-- Campaign settings for messages people can act on:
-- * footer: the postal address or legal notice under every email;
-- * quiet_hours: the campaign's own SMS quiet hours ("21:00-08:00", "off"), or
--   '' for MUSTER_QUIET_HOURS;
-- * sms_skip_opt_out: 1 when the campaign's SMS do not end with the opt-out line
--   (the zero value, 0, is the compliant default).
ALTER TABLE campaigns ADD COLUMN footer TEXT NOT NULL DEFAULT '';
ALTER TABLE campaigns ADD COLUMN quiet_hours TEXT NOT NULL DEFAULT '';
ALTER TABLE campaigns ADD COLUMN sms_skip_opt_out INTEGER NOT NULL DEFAULT 0;
