package store

import (
	"errors"
	"time"
)

// Sentinel errors returned (wrapped) by the store. Check them with errors.Is.
var (
	// ErrNotFound means the row asked for does not exist.
	ErrNotFound = errors.New("not found")
	// ErrConflict means a unique constraint would be broken (slug, key name,
	// or an email and a phone that belong to two different supporters).
	ErrConflict = errors.New("conflict")
)

// Channel is a way of reaching a supporter.
type Channel string

// The channels Muster sends on.
const (
	ChannelEmail Channel = "email"
	ChannelSMS   Channel = "sms"
)

// AllChannels lists every channel, in a stable order.
func AllChannels() []Channel { return []Channel{ChannelEmail, ChannelSMS} }

// Valid reports whether c is a known channel.
func (c Channel) Valid() bool { return c == ChannelEmail || c == ChannelSMS }

// Role is what an API key may do.
type Role string

// The API key roles.
const (
	RoleAdmin     Role = "admin"
	RoleOrganizer Role = "organizer"
)

// Valid reports whether r is a known role.
func (r Role) Valid() bool { return r == RoleAdmin || r == RoleOrganizer }

// APIKey is a bearer key; only the SHA-256 hash of the secret is stored.
type APIKey struct {
	ID         int64
	Name       string
	Role       Role
	CreatedAt  time.Time
	RevokedAt  time.Time // zero while the key is valid
	LastUsedAt time.Time // zero if never used
}

// Campaign is what supporters join.
type Campaign struct {
	ID                     int64
	Slug                   string
	Name                   string
	Locale                 string // BCP 47 default locale
	Timezone               string // IANA display time zone
	EmailFrom              string // "Name <addr>" or "addr"
	EmailReplyTo           string
	SMSFrom                string // E.164
	SMSMessagingServiceSID string
	// Footer is the postal address or legal notice under every email.
	Footer string
	// QuietHours is the campaign's SMS quiet hours ("21:00-08:00" or "off"), or
	// "" for the configured default (MUSTER_QUIET_HOURS).
	QuietHours string
	// SMSSkipOptOut leaves the opt-out line ("Reply STOP to opt out") off the
	// campaign's SMS; the zero value keeps it.
	SMSSkipOptOut bool
	// Contact is the line an SMS HELP is answered with ("info@example.org").
	Contact string
	// SMSWarning is the last carrier complaint about the campaign's SMS (set by
	// delivery receipts, error 30007); UpdateCampaign leaves it as it is.
	SMSWarning string
	// SMSConfirmByReply makes SMS subscriptions that no organizer attests wait,
	// pending, for the number to reply YES (SMS double opt-in).
	SMSConfirmByReply bool
	CreatedAt         time.Time
	UpdatedAt         time.Time
}

// Supporter is one person, unique by email and by phone.
type Supporter struct {
	ID        int64
	Email     string // lower-cased domain; empty if none
	Phone     string // E.164; empty if none
	Name      string
	Locale    string
	Country   string // ISO 3166-1 alpha-2, upper case
	Timezone  string
	Tags      []string // lower case, sorted, unique
	CreatedAt time.Time
	UpdatedAt time.Time
	// Subscriptions is filled by the calls that say so.
	Subscriptions []Subscription
}

// SubscriptionStatus is where a supporter stands with a campaign on a channel.
type SubscriptionStatus string

// The subscription statuses.
const (
	SubPending      SubscriptionStatus = "pending"
	SubActive       SubscriptionStatus = "active"
	SubUnsubscribed SubscriptionStatus = "unsubscribed"
	SubSuppressed   SubscriptionStatus = "suppressed"
)

// Subscription is supporter x campaign x channel, with its consent evidence.
type Subscription struct {
	SupporterID  int64
	CampaignID   int64
	CampaignSlug string
	Channel      Channel
	Status       SubscriptionStatus
	Source       string // form, api, import, sms_keyword
	ConsentText  string
	ConsentIP    string
	Reason       string // why it was unsubscribed or suppressed
	CreatedAt    time.Time
	UpdatedAt    time.Time
	ConfirmedAt  time.Time // zero until active
}

// SubscriptionInput asks for a subscription when upserting a supporter.
type SubscriptionInput struct {
	Channel Channel
	// Status is the status a new subscription starts with (SubActive or SubPending).
	// An existing pending subscription is promoted to active when Status is SubActive,
	// unless it waits for the person's own act (a reason is set: see Store.Join).
	// An unsubscribed or suppressed subscription is never changed by an upsert.
	Status      SubscriptionStatus
	Source      string
	ConsentText string
	ConsentIP   string
}

// SupporterUpsert is one supporter to create or update, and the subscriptions to add.
type SupporterUpsert struct {
	Supporter     Supporter
	Subscriptions []SubscriptionInput
}

// UpsertResult is the outcome of one SupporterUpsert.
type UpsertResult struct {
	Supporter Supporter // with Subscriptions to the campaign filled
	Created   bool
	Err       error // per row, e.g. ErrConflict; the others in the batch still apply
}

// SupporterFilter narrows a supporter listing; empty fields do not filter.
type SupporterFilter struct {
	Channel Channel
	Status  SubscriptionStatus
	Tag     string
	Country string
}

// Page asks for one page of a keyset-paginated listing.
type Page struct {
	Limit  int    // 1..1000; 0 means 50
	Cursor string // opaque, from the previous page's next cursor
}

// AlertStatus is where an alert is in its life.
type AlertStatus string

// The alert statuses.
const (
	AlertScheduled AlertStatus = "scheduled"
	AlertSending   AlertStatus = "sending"
	AlertCompleted AlertStatus = "completed"
	AlertCancelled AlertStatus = "cancelled"
	AlertExpired   AlertStatus = "expired"
)

// Final reports whether the alert will not change status any more.
func (s AlertStatus) Final() bool {
	return s == AlertCompleted || s == AlertCancelled || s == AlertExpired
}

// Audience selects supporters of a campaign. Filters combine with AND,
// values inside one filter with OR; empty means everyone.
type Audience struct {
	Countries []string `json:"countries,omitempty"`
	Tags      []string `json:"tags,omitempty"`
	Locales   []string `json:"locales,omitempty"` // "es" also matches "es-AR"
}

// Content is an alert's own text for one locale, instead of a named template.
type Content struct {
	Subject string `json:"subject"`
	Body    string `json:"body"` // Markdown
	SMS     string `json:"sms"`
}

// Alert is one mobilization message for one campaign.
type Alert struct {
	ID             int64
	CampaignID     int64
	CampaignSlug   string
	Status         AlertStatus
	Template       string             // named template, or empty with Content
	Content        map[string]Content // by locale
	Data           map[string]any
	Audience       Audience
	Channels       []Channel
	SendAt         time.Time
	ExpiresAt      time.Time // zero: never
	Urgent         bool
	IdempotencyKey string
	AudienceSize   int64 // supporters targeted so far (final once FanoutDone)
	FanoutCursor   int64 // last supporter id fanned out
	FanoutDone     bool
	// Blocked holds, per channel, why sending stopped for a configuration error.
	Blocked     map[Channel]string
	CreatedAt   time.Time
	UpdatedAt   time.Time
	CompletedAt time.Time
}

// Expired reports whether the alert may no longer send at now.
func (a Alert) Expired(now time.Time) bool {
	return !a.ExpiresAt.IsZero() && !now.Before(a.ExpiresAt)
}

// DeliveryStatus is where one message is.
type DeliveryStatus string

// The delivery statuses.
const (
	DeliveryQueued     DeliveryStatus = "queued"
	DeliverySending    DeliveryStatus = "sending"
	DeliverySent       DeliveryStatus = "sent"
	DeliveryDelivered  DeliveryStatus = "delivered"
	DeliveryFailed     DeliveryStatus = "failed"
	DeliverySuppressed DeliveryStatus = "suppressed"
	DeliveryExpired    DeliveryStatus = "expired"
	DeliveryCancelled  DeliveryStatus = "cancelled"
)

// Pending reports whether the delivery still has to be attempted.
func (s DeliveryStatus) Pending() bool { return s == DeliveryQueued || s == DeliverySending }

// Delivery is alert x supporter x channel: at most one per triple, ever.
type Delivery struct {
	ID            int64
	AlertID       int64
	SupporterID   int64
	Channel       Channel
	Status        DeliveryStatus
	Attempts      int // times taken for sending (a provider call, unless the alert had ended)
	Failures      int // transient failures, spent from the retry budget
	ProviderID    string
	ErrorCode     string
	ErrorClass    string
	ErrorMessage  string
	Ambiguous     bool // was in flight when a process died: may have gone out twice
	NextAttemptAt time.Time
	CreatedAt     time.Time
	UpdatedAt     time.Time
	SentAt        time.Time
	DeliveredAt   time.Time // when the provider confirmed delivery (SMS receipts)
}

// DeliveryFilter narrows a delivery listing; empty fields do not filter.
type DeliveryFilter struct {
	Status  DeliveryStatus
	Channel Channel
}

// Batch is a range of delivery ids of one alert and channel: the unit of delivery work.
type Batch struct {
	AlertID int64   `json:"alert_id"`
	Channel Channel `json:"channel"`
	FirstID int64   `json:"first_id"`
	LastID  int64   `json:"last_id"`
}

// FanoutResult is what one FanoutPage call did.
type FanoutResult struct {
	Batches    []Batch // one per channel that has deliveries in the page
	Supporters int     // supporters in the page
	Done       bool    // the audience is exhausted; the alert is marked fanned out
}

// Claim is a delivery moved to sending, with what is needed to send it.
type Claim struct {
	Delivery  Delivery // Status is DeliverySending; Ambiguous set if it was re-claimed from a stale sending
	Supporter Supporter
	// SubscriptionStatus is the supporter's current subscription to the alert's
	// campaign on the delivery's channel ("" if there is none any more).
	SubscriptionStatus SubscriptionStatus
}

// Suppression ends a supporter's subscriptions on one channel, on every campaign.
type Suppression struct {
	SupporterID int64
	Channel     Channel
	Status      SubscriptionStatus // SubSuppressed or SubUnsubscribed
	Reason      string
}

// Result is the outcome of one claimed delivery.
type Result struct {
	DeliveryID   int64
	Status       DeliveryStatus // sent, failed, suppressed, expired, cancelled, or queued to retry
	ProviderID   string
	ErrorCode    string
	ErrorClass   string
	ErrorMessage string
	// NextAttemptAt is when a queued (retried) delivery is due again.
	NextAttemptAt time.Time
	// CountFailure adds one to Failures (a transient failure; not for rate limits).
	CountFailure bool
	// Unclaimed gives back the attempt the claim counted: the message was held
	// (quiet hours) without being offered to the provider.
	Unclaimed bool
	At        time.Time
	Suppress  *Suppression // optional, applied in the same transaction
}
