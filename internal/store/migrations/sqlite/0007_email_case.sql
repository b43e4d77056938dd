-- An email address is one person whatever its case (issue 8): stored addresses
-- are folded to lower case, and supporters whose addresses differ only by case
-- become one. This file runs between two Go steps of the same transaction
-- (internal/store/email_case.go): before it, email_fold(supporter_id, email,
-- folded) is filled with every stored address that folding changes (Go folds
-- with Unicode's lower-case mapping, which SQLite's lower() does only for
-- ASCII); after it, the suppression list's hashes of those addresses are made
-- again from the folded form (that needs the key, which SQL does not have) and
-- the work tables are dropped.
--
-- The merge, for each folded address held by several supporters:
-- * the oldest supporter (lowest id) is kept, the others are dropped;
-- * the kept one takes the phone of the oldest dropped one that has a phone
--   when it has none. A dropped supporter whose phone does not move (the kept
--   one has its own) stays as a supporter of that phone alone: its email goes
--   to the kept one, its SMS subscriptions and deliveries stay with its number,
--   since consent to texts belongs to a number;
-- * subscriptions on the same campaign and channel become one: a stop wins
--   (suppressed over unsubscribed, then active, then pending), the kept
--   supporter's own row on a tie; the row that wins keeps its own consent
--   evidence and timestamps;
-- * tags are joined; empty name, locale, country and time zone of the kept
--   one are filled from the oldest dropped one that has them;
-- * deliveries move to the kept supporter; where it already has one for the
--   same alert and channel, the other keeps its row with supporter_id NULL, as
--   an erasure does, so that alerts' counts hold;
-- * supporter_merges remembers where each dropped id went, for the links
--   already sent.

-- Every supporter whose folded address is shared: the dropped ones with their keeper.
CREATE TEMP TABLE email_merge (
	drop_id  INTEGER PRIMARY KEY,
	keep_id  INTEGER NOT NULL,
	survives INTEGER NOT NULL DEFAULT 0 -- 1: stays as a phone-only supporter
);
INSERT INTO email_merge (drop_id, keep_id)
WITH member (id, folded) AS (
	SELECT supporter_id, folded FROM email_fold
	UNION
	SELECT s.id, s.email FROM supporters s JOIN email_fold f ON s.email = f.folded
), keeper (folded, id) AS (
	SELECT folded, min(id) FROM member GROUP BY folded HAVING count(*) > 1
)
SELECT m.id, k.id FROM member m JOIN keeper k ON k.folded = m.folded WHERE m.id <> k.id;

-- The dropped supporter, if any, whose phone goes to a keeper that has none.
CREATE TEMP TABLE email_phone_giver (keep_id INTEGER PRIMARY KEY, drop_id INTEGER NOT NULL);
INSERT INTO email_phone_giver (keep_id, drop_id)
SELECT m.keep_id, min(m.drop_id) FROM email_merge m
JOIN supporters k ON k.id = m.keep_id JOIN supporters d ON d.id = m.drop_id
WHERE k.phone IS NULL AND d.phone IS NOT NULL GROUP BY m.keep_id;

UPDATE email_merge SET survives = 1
WHERE drop_id IN (SELECT id FROM supporters WHERE phone IS NOT NULL)
AND drop_id NOT IN (SELECT drop_id FROM email_phone_giver);

-- Keepers and what moves to them: (supporter, keeper, whether its phone
-- channels move too).
CREATE TEMP TABLE email_member (id INTEGER PRIMARY KEY, keep_id INTEGER NOT NULL, phone_moves INTEGER NOT NULL);
INSERT INTO email_member (id, keep_id, phone_moves)
SELECT drop_id, keep_id, 1 - survives FROM email_merge
UNION
SELECT DISTINCT keep_id, keep_id, 1 FROM email_merge;

-- Subscriptions: one per keeper, campaign and channel; the stop wins.
CREATE TEMP TABLE email_sub_rank AS
SELECT sub.campaign_id, sub.supporter_id, sub.channel, ROW_NUMBER() OVER (
	PARTITION BY m.keep_id, sub.campaign_id, sub.channel
	ORDER BY CASE sub.status WHEN 'suppressed' THEN 4 WHEN 'unsubscribed' THEN 3 WHEN 'active' THEN 2 ELSE 1 END DESC,
		sub.supporter_id = m.keep_id DESC, sub.supporter_id
) AS place
FROM subscriptions sub JOIN email_member m ON m.id = sub.supporter_id
WHERE sub.channel = 'email' OR m.phone_moves = 1;

DELETE FROM subscriptions WHERE (campaign_id, supporter_id, channel) IN (
	SELECT campaign_id, supporter_id, channel FROM email_sub_rank WHERE place > 1);

UPDATE subscriptions SET supporter_id = (SELECT keep_id FROM email_member WHERE id = subscriptions.supporter_id)
WHERE (campaign_id, supporter_id, channel) IN (
	SELECT r.campaign_id, r.supporter_id, r.channel FROM email_sub_rank r
	JOIN email_merge m ON m.drop_id = r.supporter_id);

-- Tags: the keeper gets every tag of the others (survivors keep theirs too).
INSERT INTO supporter_tags (supporter_id, tag)
SELECT m.keep_id, t.tag FROM supporter_tags t JOIN email_merge m ON m.drop_id = t.supporter_id WHERE true
ON CONFLICT DO NOTHING;

-- Deliveries: at most one per keeper, alert and channel keeps the supporter.
CREATE TEMP TABLE email_delivery_rank AS
SELECT d.id, d.supporter_id, ROW_NUMBER() OVER (
	PARTITION BY m.keep_id, d.alert_id, d.channel
	ORDER BY d.supporter_id = m.keep_id DESC, d.id
) AS place
FROM deliveries d JOIN email_member m ON m.id = d.supporter_id
WHERE d.channel = 'email' OR m.phone_moves = 1;

UPDATE deliveries SET supporter_id = NULL
WHERE id IN (SELECT id FROM email_delivery_rank WHERE place > 1);

UPDATE deliveries SET supporter_id = (SELECT keep_id FROM email_merge WHERE drop_id = deliveries.supporter_id)
WHERE id IN (SELECT r.id FROM email_delivery_rank r JOIN email_merge m ON m.drop_id = r.supporter_id
	WHERE r.place = 1);

-- What the keeper takes from the others: a phone, and details it lacks.
CREATE TEMP TABLE email_fill AS
SELECT k.id AS keep_id,
	(SELECT d.phone FROM email_phone_giver g JOIN supporters d ON d.id = g.drop_id WHERE g.keep_id = k.id) AS phone,
	(SELECT d.name FROM email_merge m JOIN supporters d ON d.id = m.drop_id
		WHERE m.keep_id = k.id AND d.name <> '' ORDER BY d.id LIMIT 1) AS name,
	(SELECT d.locale FROM email_merge m JOIN supporters d ON d.id = m.drop_id
		WHERE m.keep_id = k.id AND d.locale <> '' ORDER BY d.id LIMIT 1) AS locale,
	(SELECT d.country FROM email_merge m JOIN supporters d ON d.id = m.drop_id
		WHERE m.keep_id = k.id AND d.country <> '' ORDER BY d.id LIMIT 1) AS country,
	(SELECT d.timezone FROM email_merge m JOIN supporters d ON d.id = m.drop_id
		WHERE m.keep_id = k.id AND d.timezone <> '' ORDER BY d.id LIMIT 1) AS timezone
FROM supporters k WHERE k.id IN (SELECT keep_id FROM email_merge);

-- The others leave: survivors lose their address, the rest are deleted (their
-- tags and what subscriptions are left go with them).
UPDATE supporters SET email = NULL WHERE id IN (SELECT drop_id FROM email_merge WHERE survives = 1);
DELETE FROM supporters WHERE id IN (SELECT drop_id FROM email_merge WHERE survives = 0);

UPDATE supporters SET
	phone = COALESCE(phone, (SELECT phone FROM email_fill WHERE keep_id = supporters.id)),
	name = CASE WHEN name = '' THEN COALESCE((SELECT name FROM email_fill WHERE keep_id = supporters.id), '') ELSE name END,
	locale = CASE WHEN locale = '' THEN COALESCE((SELECT locale FROM email_fill WHERE keep_id = supporters.id), '') ELSE locale END,
	country = CASE WHEN country = '' THEN COALESCE((SELECT country FROM email_fill WHERE keep_id = supporters.id), '') ELSE country END,
	timezone = CASE WHEN timezone = '' THEN COALESCE((SELECT timezone FROM email_fill WHERE keep_id = supporters.id), '') ELSE timezone END
WHERE id IN (SELECT keep_id FROM email_fill);

-- Links already sent name supporters by id: an unsubscribe or confirmation
-- link of a merged supporter must reach the one kept. supporter_merges says
-- where each went; phone_too is 0 when only its email moved (it kept its own
-- number, and its SMS stay its own).
CREATE TABLE supporter_merges (
	from_id   INTEGER PRIMARY KEY,
	into_id   INTEGER NOT NULL REFERENCES supporters (id) ON DELETE CASCADE,
	phone_too INTEGER NOT NULL
);
INSERT INTO supporter_merges (from_id, into_id, phone_too) SELECT drop_id, keep_id, 1 - survives FROM email_merge;

-- Every address that remains, folded.
UPDATE supporters SET email = (SELECT folded FROM email_fold WHERE supporter_id = supporters.id)
WHERE email IS NOT NULL AND id IN (SELECT supporter_id FROM email_fold);

DROP TABLE email_merge;
DROP TABLE email_phone_giver;
DROP TABLE email_member;
DROP TABLE email_sub_rank;
DROP TABLE email_delivery_rank;
DROP TABLE email_fill;
