package api

import (
	"time"

	"github.com/muster-org/muster/internal/store"
)

// supporterJSON is a supporter as the API shows it, with subscriptions.
type supporterJSON struct {
	ID            int64              `json:"id"`
	Email         string             `json:"email"`
	Phone         string             `json:"phone"`
	Name          string             `json:"name"`
	Locale        string             `json:"locale"`
	Country       string             `json:"country"`
	Timezone      string             `json:"timezone"`
	Tags          []string           `json:"tags"`
	Subscriptions []subscriptionJSON `json:"subscriptions"`
	CreatedAt     time.Time          `json:"created_at"`
	UpdatedAt     time.Time          `json:"updated_at"`
}

// subscriptionJSON is one subscription with its consent evidence.
type subscriptionJSON struct {
	Campaign    string                   `json:"campaign"`
	Channel     store.Channel            `json:"channel"`
	Status      store.SubscriptionStatus `json:"status"`
	Source      string                   `json:"source"`
	ConsentText string                   `json:"consent_text"`
	ConsentIP   string                   `json:"consent_ip"`
	Reason      string                   `json:"reason,omitempty"`
	CreatedAt   time.Time                `json:"created_at"`
	ConfirmedAt time.Time                `json:"confirmed_at,omitzero"`
}

func newSupporterJSON(s store.Supporter) supporterJSON {
	tags := s.Tags
	if tags == nil {
		tags = []string{}
	}
	return supporterJSON{
		ID: s.ID, Email: s.Email, Phone: s.Phone, Name: s.Name, Locale: s.Locale,
		Country: s.Country, Timezone: s.Timezone, Tags: tags,
		Subscriptions: mapSlice(s.Subscriptions, newSubscriptionJSON),
		CreatedAt:     s.CreatedAt, UpdatedAt: s.UpdatedAt,
	}
}

func newSubscriptionJSON(s store.Subscription) subscriptionJSON {
	return subscriptionJSON{
		Campaign: s.CampaignSlug, Channel: s.Channel, Status: s.Status, Source: s.Source,
		ConsentText: s.ConsentText, ConsentIP: s.ConsentIP, Reason: s.Reason,
		CreatedAt: s.CreatedAt, ConfirmedAt: s.ConfirmedAt,
	}
}
