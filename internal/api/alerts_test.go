package api_test

import (
	"context"
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/hibiken/asynq"

	"github.com/muster-org/muster/internal/store"
	"github.com/muster-org/muster/worker"
)

type alertOut struct {
	ID           int64                       `json:"id"`
	Campaign     string                      `json:"campaign"`
	Status       string                      `json:"status"`
	Template     string                      `json:"template"`
	Content      map[string]store.Content    `json:"content"`
	Channels     []string                    `json:"channels"`
	Audience     store.Audience              `json:"audience"`
	Data         map[string]any              `json:"data"`
	SendAt       time.Time                   `json:"send_at"`
	ExpiresAt    time.Time                   `json:"expires_at"`
	Urgent       bool                        `json:"urgent"`
	CreatedAt    time.Time                   `json:"created_at"`
	CompletedAt  time.Time                   `json:"completed_at"`
	AudienceSize int64                       `json:"audience_size"`
	Counts       map[string]map[string]int64 `json:"counts"`
	Blocked      map[string]string           `json:"blocked"`
}

const mobilization = `{"template": "mobilization",
	"data": {"title": "Human chain around Parliament", "starts_at": "2026-12-08T13:00:00Z"},
	"audience": {"countries": ["gb", "BR"], "tags": ["Embassy"], "locales": ["es_ar"]},
	"channels": ["email", "sms"], "send_at": "2026-11-22T10:00:00Z", "expires_at": "2026-11-22T13:00:00Z",
	"urgent": true}`

func (e *env) postAlert(slug, body, idemKey string) (response, alertOut) {
	e.t.Helper()
	req := request{method: "POST", path: "/v1/campaigns/" + slug + "/alerts", key: e.org, body: body}
	if idemKey != "" {
		req.header = map[string]string{"Idempotency-Key": idemKey}
	}
	res := e.do(req)
	var a alertOut
	if res.status == 200 || res.status == 202 {
		mustUnmarshal(e.t, res.body, &a)
	}
	return res, a
}

func TestAlertCreate(t *testing.T) {
	e := newEnv(t)
	e.seedCampaign("free-assange")

	res, got := e.postAlert("free-assange", mobilization, "k1")
	if res.status != 202 {
		t.Fatalf("status %d, want 202; body %s", res.status, res.body)
	}
	if loc := res.header.Get("Location"); loc != fmt.Sprintf("/v1/alerts/%d", got.ID) {
		t.Errorf("Location = %q", loc)
	}
	want := alertOut{
		ID: got.ID, Campaign: "free-assange", Status: "scheduled", Template: "mobilization",
		Channels: []string{"email", "sms"},
		Audience: store.Audience{Countries: []string{"GB", "BR"}, Tags: []string{"embassy"}, Locales: []string{"es-AR"}},
		Data:     map[string]any{"title": "Human chain around Parliament", "starts_at": "2026-12-08T13:00:00Z"},
		SendAt:   time.Date(2026, 11, 22, 10, 0, 0, 0, time.UTC), ExpiresAt: time.Date(2026, 11, 22, 13, 0, 0, 0, time.UTC),
		Urgent: true, CreatedAt: testNow,
		Counts:  map[string]map[string]int64{"email": {}, "sms": {}},
		Blocked: map[string]string{},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("alert mismatch (-want +got):\n%s", diff)
	}

	// The fan-out task is in Redis, under its idempotent id, carrying only the alert's id.
	info, err := e.insp.GetTaskInfo(worker.QueueFanout, fmt.Sprintf("fanout:%d", got.ID))
	if err != nil {
		t.Fatalf("fan-out task: %v", err)
	}
	var payload worker.FanoutPayload
	mustUnmarshal(t, info.Payload, &payload)
	if info.Type != worker.TypeFanout || payload.AlertID != got.ID {
		t.Errorf("task type %q, payload %+v; want %q for alert %d", info.Type, payload, worker.TypeFanout, got.ID)
	}
	if info.State == asynq.TaskStateScheduled && !info.NextProcessAt.Equal(want.SendAt) {
		t.Errorf("task scheduled at %v, want send_at %v", info.NextProcessAt, want.SendAt)
	}

	// The same key returns the first alert, even with another body, and stores nothing.
	res, again := e.postAlert("free-assange", `{"template": "thanks", "channels": ["email"]}`, "k1")
	if res.status != 200 {
		t.Fatalf("repeat: status %d, want 200; body %s", res.status, res.body)
	}
	if diff := cmp.Diff(want, again); diff != "" {
		t.Errorf("repeated alert mismatch (-want +got):\n%s", diff)
	}
	if s := e.stored(); s.Alerts != 1 || s.FanoutTasks != 1 {
		t.Errorf("after a repeat: %d alerts and %d fan-out tasks, want 1 and 1", s.Alerts, s.FanoutTasks)
	}

	// Another key, or none, makes another alert.
	for _, key := range []string{"k2", "", ""} {
		if res, _ := e.postAlert("free-assange", mobilization, key); res.status != 202 {
			t.Fatalf("key %q: status %d, want 202", key, res.status)
		}
	}
	if s := e.stored(); s.Alerts != 4 || s.FanoutTasks != 4 {
		t.Errorf("%d alerts and %d fan-out tasks, want 4 and 4", s.Alerts, s.FanoutTasks)
	}
}

func TestAlertKeyIsPerCampaign(t *testing.T) {
	e := newEnv(t)
	e.seedCampaign("free-assange")
	e.seedCampaign("other")
	_, a := e.postAlert("free-assange", mobilization, "same")
	res, b := e.postAlert("other", mobilization, "same")
	if res.status != 202 || a.ID == b.ID {
		t.Errorf("second campaign: status %d, ids %d and %d; want 202 and two alerts", res.status, a.ID, b.ID)
	}
}

func TestAlertInlineContent(t *testing.T) {
	e := newEnv(t)
	e.seedCampaign("free-assange")
	body := `{"content": {"en": {"subject": "Now", "body": "**Go**"}, "es-ar": {"subject": "Ya", "body": "**Vamos**"}},
		"channels": ["email"]}`
	res, got := e.postAlert("free-assange", body, "")
	if res.status != 202 {
		t.Fatalf("status %d, want 202; body %s", res.status, res.body)
	}
	wantContent := map[string]store.Content{"en": {Subject: "Now", Body: "**Go**"}, "es-AR": {Subject: "Ya", Body: "**Vamos**"}}
	if diff := cmp.Diff(wantContent, got.Content); diff != "" {
		t.Errorf("content mismatch (-want +got):\n%s", diff)
	}
	if !got.SendAt.Equal(testNow) {
		t.Errorf("send_at = %v, want now (%v)", got.SendAt, testNow)
	}
	if diff := cmp.Diff(map[string]map[string]int64{"email": {}}, got.Counts); diff != "" {
		t.Errorf("counts mismatch (-want +got):\n%s", diff)
	}
}

func TestAlertStoredWhenRedisIsDown(t *testing.T) {
	down := asynq.NewClient(asynq.RedisClientOpt{Addr: closedAddr(t)})
	t.Cleanup(func() { _ = down.Close() })
	e := newEnv(t, func(o *envOptions) {
		o.queue = worker.NewQueue(down)
		o.cfg.EnqueueTimeout = 500 * time.Millisecond
	})
	e.seedCampaign("free-assange")

	res, got := e.postAlert("free-assange", mobilization, "")
	if res.status != 202 {
		t.Fatalf("status %d, want 202; body %s", res.status, res.body)
	}
	e.handlers.waitLog(t, func(msg string, attrs map[string]string) bool {
		return msg == "enqueue fan-out failed; the reconciler will re-drive the alert" && attrs["alert_id"] == fmt.Sprint(got.ID)
	})
	var stored alertOut
	e.json("GET", fmt.Sprintf("/v1/alerts/%d", got.ID), nil, 200, &stored)
	if stored.Status != "scheduled" {
		t.Errorf("stored alert status %q, want scheduled", stored.Status)
	}
}

// fanOut records every delivery of an alert, as the worker's fan-out would.
func (e *env) fanOut(id int64) {
	e.t.Helper()
	for range 10 {
		r, err := e.st.FanoutPage(context.Background(), id, 100, testNow)
		if err != nil {
			e.t.Fatalf("fan out: %v", err)
		}
		if r.Done {
			return
		}
	}
	e.t.Fatal("fan-out does not end")
}

type deliveryOut struct {
	ID          int64     `json:"id"`
	SupporterID int64     `json:"supporter_id"`
	Channel     string    `json:"channel"`
	Status      string    `json:"status"`
	Attempts    int       `json:"attempts"`
	CreatedAt   time.Time `json:"created_at"`
	SentAt      time.Time `json:"sent_at"`
}

type deliveryList struct {
	Items      []deliveryOut `json:"items"`
	NextCursor string        `json:"next_cursor"`
}

func TestAlertCountsDeliveriesAndCancel(t *testing.T) {
	e := newEnv(t)
	c := e.seedCampaign("free-assange")
	ana := e.seedSupporter(c, store.Supporter{Email: "ana@example.org", Phone: "+5511987654321"})
	bo := e.seedSupporter(c, store.Supporter{Email: "bo@example.org"})
	cy := e.seedSupporter(c, store.Supporter{Phone: "+447400123456"})

	_, a := e.postAlert("free-assange", `{"template": "mobilization", "channels": ["email", "sms"]}`, "")
	e.fanOut(a.ID)
	path := fmt.Sprintf("/v1/alerts/%d", a.ID)

	var got alertOut
	e.json("GET", path, nil, 200, &got)
	wantCounts := map[string]map[string]int64{"email": {"queued": 2}, "sms": {"queued": 2}}
	if diff := cmp.Diff(wantCounts, got.Counts); diff != "" {
		t.Errorf("counts mismatch (-want +got):\n%s", diff)
	}
	if got.AudienceSize != 3 {
		t.Errorf("audience_size = %d, want 3", got.AudienceSize)
	}

	tests := []struct {
		query string
		want  []string // supporter id and channel
	}{
		{query: "", want: []string{
			fmt.Sprint(ana.ID, " email"), fmt.Sprint(ana.ID, " sms"), fmt.Sprint(bo.ID, " email"), fmt.Sprint(cy.ID, " sms")}},
		{query: "?channel=sms", want: []string{fmt.Sprint(ana.ID, " sms"), fmt.Sprint(cy.ID, " sms")}},
		{query: "?status=sent", want: nil},
	}
	for _, tt := range tests {
		var page deliveryList
		e.json("GET", path+"/deliveries"+tt.query, nil, 200, &page)
		var ds []string
		for _, d := range page.Items {
			ds = append(ds, fmt.Sprint(d.SupporterID, " ", d.Channel))
			if d.Status != "queued" || !d.CreatedAt.Equal(testNow) || !d.SentAt.IsZero() {
				t.Errorf("delivery %+v: want queued, created now, not sent", d)
			}
		}
		slices.Sort(ds)
		if diff := cmp.Diff(tt.want, ds); diff != "" {
			t.Errorf("deliveries%s mismatch (-want +got):\n%s", tt.query, diff)
		}
	}

	// Pages of one: four pages, then the end.
	seen := 0
	for cursor := ""; ; seen++ {
		var page deliveryList
		e.json("GET", path+"/deliveries?limit=1&cursor="+cursor, nil, 200, &page)
		if len(page.Items) != 1 || seen > 4 {
			t.Fatalf("page %d has %d items", seen, len(page.Items))
		}
		if cursor = page.NextCursor; cursor == "" {
			break
		}
	}
	if seen != 3 {
		t.Errorf("%d pages, want 4", seen+1)
	}

	var cancelled alertOut
	e.json("POST", path+"/cancel", nil, 200, &cancelled)
	wantCounts = map[string]map[string]int64{"email": {"cancelled": 2}, "sms": {"cancelled": 2}}
	if cancelled.Status != "cancelled" || !cmp.Equal(wantCounts, cancelled.Counts) {
		t.Errorf("after cancel: status %q, counts %v; want cancelled, %v", cancelled.Status, cancelled.Counts, wantCounts)
	}
	// Cancelling again answers the alert as it is.
	e.json("POST", path+"/cancel", nil, 200, &cancelled)
	if cancelled.Status != "cancelled" {
		t.Errorf("second cancel: status %q", cancelled.Status)
	}
}
