package api

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"time"

	"github.com/muster-org/muster/internal/store"
)

// alertJSON is an alert as the API shows it, with its delivery counts.
type alertJSON struct {
	ID           int64                    `json:"id"`
	Campaign     string                   `json:"campaign"`
	Status       store.AlertStatus        `json:"status"`
	Template     string                   `json:"template,omitempty"`
	Content      map[string]store.Content `json:"content,omitempty"`
	Channels     []store.Channel          `json:"channels"`
	Audience     store.Audience           `json:"audience"`
	Data         map[string]any           `json:"data"`
	SendAt       time.Time                `json:"send_at"`
	ExpiresAt    time.Time                `json:"expires_at,omitzero"`
	Urgent       bool                     `json:"urgent"`
	CreatedAt    time.Time                `json:"created_at"`
	CompletedAt  time.Time                `json:"completed_at,omitzero"`
	AudienceSize int64                    `json:"audience_size"`
	Counts       map[store.Channel]counts `json:"counts"`
	Blocked      map[store.Channel]string `json:"blocked"`
}

// counts is the number of deliveries by status, on one channel.
type counts map[store.DeliveryStatus]int64

// newAlertJSON shows a; all counts the store has, but only on the channels
// the alert was sent on, each present even when it has none yet.
func newAlertJSON(a store.Alert, all map[store.Channel]map[store.DeliveryStatus]int64) alertJSON {
	cs := make(map[store.Channel]counts, len(a.Channels))
	for _, ch := range a.Channels {
		c := counts{}
		for st, n := range all[ch] {
			if n > 0 {
				c[st] = n
			}
		}
		cs[ch] = c
	}
	data, blocked := a.Data, a.Blocked
	if data == nil {
		data = map[string]any{}
	}
	if blocked == nil {
		blocked = map[store.Channel]string{}
	}
	return alertJSON{
		ID: a.ID, Campaign: a.CampaignSlug, Status: a.Status, Template: a.Template, Content: a.Content,
		Channels: a.Channels, Audience: a.Audience, Data: data, SendAt: a.SendAt, ExpiresAt: a.ExpiresAt,
		Urgent: a.Urgent, CreatedAt: a.CreatedAt, CompletedAt: a.CompletedAt, AudienceSize: a.AudienceSize,
		Counts: cs, Blocked: blocked,
	}
}

// alert returns the alert of a path's {id}, or a 404 problem.
func (s *server) alert(r *http.Request) (store.Alert, error) {
	id, err := pathID(r, "alert")
	if err != nil {
		return store.Alert{}, err
	}
	a, err := s.st.AlertByID(r.Context(), id)
	if errors.Is(err, store.ErrNotFound) {
		return a, fail(http.StatusNotFound, fmt.Sprintf("no alert %d", id))
	}
	if err != nil {
		return a, fmt.Errorf("get alert: %w", err)
	}
	return a, nil
}

// alertWithCounts shows an alert with its current delivery counts.
func (s *server) alertWithCounts(ctx context.Context, a store.Alert) (alertJSON, error) {
	all, err := s.st.AlertCounts(ctx, a.ID)
	if err != nil {
		return alertJSON{}, fmt.Errorf("count deliveries of alert %d: %w", a.ID, err)
	}
	return newAlertJSON(a, all), nil
}
