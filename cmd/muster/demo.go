package main

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/muster-org/muster/internal/api"
	"github.com/muster-org/muster/internal/store"
)

const demoText = `
Muster is running at %[1]s with a demo campaign "demo" and four supporters
(English, Spanish, Brazilian Portuguese, French). Nothing leaves this machine:
email and SMS go to the local outbox in %[3]s.

Your demo admin API key (also in data/demo.key):

  export MUSTER_API_KEY=%[2]s

Send an alert to everyone, on both channels:

  curl -sS -H "Authorization: Bearer $MUSTER_API_KEY" -H 'Content-Type: application/json' \
    -d '{"template":"mobilization","channels":["email","sms"],
         "data":{"title":"Human chain around Parliament","starts_at":"2026-12-05T13:00:00Z",
                 "place":"Parliament Square, London","url":"https://example.org/chain"}}' \
    %[1]s/v1/campaigns/demo/alerts

Watch it complete (use the "id" it answered), then read what was sent:

  curl -sS -H "Authorization: Bearer $MUSTER_API_KEY" %[1]s/v1/alerts/1
  ls %[3]s/email %[3]s/sms

Or the same from the command line:  go run ./cmd/muster send --campaign demo --template mobilization \
    --data title="Human chain" --data starts_at=2026-12-05T13:00:00Z --data place="Parliament Square" --wait
(add --preview to see each language's message and the forecast first, sending nothing).

Join the campaign yourself on its public page, %[1]s/c/demo (?lang=es, pt, fr): the
confirmation email lands in %[3]s/email, and its link activates you.

Press Ctrl-C to stop. The README has the full tour.
`

// seedDemo creates the demo campaign and supporters if missing, and returns
// the demo admin key, made once and kept in the data directory.
func seedDemo(ctx context.Context, a *app) (string, error) {
	c, err := a.st.CampaignBySlug(ctx, "demo")
	if errors.Is(err, store.ErrNotFound) {
		c, err = a.st.CreateCampaign(ctx, store.Campaign{
			Slug: "demo", Name: "Demo Coalition", Locale: "en", Timezone: "Europe/London",
			EmailFrom: "Demo Coalition <alerts@example.org>", SMSFrom: "+15005550006",
			// The demo shows every message at once, whatever the hour in its
			// supporters' zones; real campaigns keep MUSTER_QUIET_HOURS.
			QuietHours: "off",
		})
	}
	if err != nil {
		return "", fmt.Errorf("demo campaign: %w", err)
	}
	if _, err := a.st.UpsertSupporters(ctx, c.ID, demoSupporters()); err != nil {
		return "", fmt.Errorf("demo supporters: %w", err)
	}
	return demoKey(ctx, a)
}

func demoSupporters() []store.SupporterUpsert {
	people := []store.Supporter{
		{Email: "alex@example.org", Phone: "+447400123456", Name: "Alex Morgan", Locale: "en-GB", Country: "GB", Timezone: "Europe/London"},
		{Email: "lucia@example.org", Phone: "+34612345678", Name: "Lucía Pérez", Locale: "es-ES", Country: "ES", Timezone: "Europe/Madrid"},
		{Email: "ana@example.org", Phone: "+5511987654321", Name: "Ana Souza", Locale: "pt-BR", Country: "BR", Timezone: "America/Sao_Paulo"},
		{Email: "camille@example.org", Phone: "+33612345678", Name: "Camille Martin", Locale: "fr-FR", Country: "FR", Timezone: "Europe/Paris"},
	}
	out := make([]store.SupporterUpsert, 0, len(people))
	for _, p := range people {
		var subs []store.SubscriptionInput
		for _, ch := range store.AllChannels() {
			subs = append(subs, store.SubscriptionInput{Channel: ch, Status: store.SubActive,
				Source: "api", ConsentText: "Demo supporter created by muster run --demo"})
		}
		out = append(out, store.SupporterUpsert{Supporter: p, Subscriptions: subs})
	}
	return out
}

func demoKey(ctx context.Context, a *app) (string, error) {
	path := filepath.Join(a.cfg.DataDir, "demo.key")
	if b, err := os.ReadFile(path); err == nil {
		key := strings.TrimSpace(string(b))
		if _, err := a.st.APIKeyByHash(ctx, api.HashKey(key)); err == nil {
			return key, nil
		}
	} else if !errors.Is(err, fs.ErrNotExist) {
		return "", fmt.Errorf("read %s: %w", path, err)
	}
	key, err := createKey(ctx, a.st, "demo-"+time.Now().UTC().Format("20060102-150405"), store.RoleAdmin)
	if err != nil {
		return "", err
	}
	if err := os.WriteFile(path, []byte(key+"\n"), 0o600); err != nil {
		return "", fmt.Errorf("write %s: %w", path, err)
	}
	return key, nil
}
