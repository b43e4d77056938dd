package main

import (
	"bytes"
	"context"
	"errors"
	"log/slog"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/hibiken/asynq"

	"github.com/muster-org/muster/internal/api"
	"github.com/muster-org/muster/internal/redistest"
	"github.com/muster-org/muster/internal/render"
	"github.com/muster-org/muster/internal/store"
	"github.com/muster-org/muster/templates"
	"github.com/muster-org/muster/worker"
)

// cli runs muster in-process with a fresh data directory and returns stdout.
func cli(t *testing.T, dir string, args ...string) (string, error) {
	t.Helper()
	env := map[string]string{"MUSTER_DATA_DIR": dir}
	var out, errw bytes.Buffer
	err := run(context.Background(), args, func(k string) string { return env[k] }, strings.NewReader(""), &out, &errw)
	return out.String(), err
}

func TestKeysCreateListRevoke(t *testing.T) {
	dir := t.TempDir()
	out, err := cli(t, dir, "keys", "create", "--name", "ana", "--role", "admin")
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSpace(out), "\n")
	key := lines[len(lines)-1]
	if !strings.HasPrefix(key, "mk_") || strings.Contains(key, " ") {
		t.Fatalf("last line of stdout = %q, want the key alone", key)
	}
	st := openTestStore(t, dir)
	k, err := st.APIKeyByHash(context.Background(), api.HashKey(key))
	if err != nil || k.Name != "ana" || k.Role != store.RoleAdmin {
		t.Fatalf("stored key = %+v, %v; want ana, admin", k, err)
	}
	if _, err := cli(t, dir, "keys", "create", "--name", "ana"); err == nil {
		t.Error("a second key named ana was accepted")
	}
	if out, err := cli(t, dir, "keys", "list"); err != nil || !strings.Contains(out, "ana") || strings.Contains(out, key) {
		t.Errorf("keys list = %q, %v; want ana listed and the key itself never shown", out, err)
	}
	if _, err := cli(t, dir, "keys", "revoke", "ana"); err != nil {
		t.Fatal(err)
	}
	if _, err := st.APIKeyByHash(context.Background(), api.HashKey(key)); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("revoked key still found: %v", err)
	}
}

func TestUsageErrors(t *testing.T) {
	tests := []struct {
		name string
		args []string
	}{
		{"unknown command", []string{"fly"}},
		{"keys without a subcommand", []string{"keys"}},
		{"keys create without a name", []string{"keys", "create", "--role", "admin"}},
		{"keys create with a bad role", []string{"keys", "create", "--name", "x", "--role", "boss"}},
		{"import without a file", []string{"import", "--campaign", "demo"}},
		{"send with template and content", []string{"send", "--campaign", "demo", "--template", "a", "--content", "b"}},
		{"migrate with arguments", []string{"migrate", "now"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := cli(t, t.TempDir(), tt.args...)
			if exitCode(err) != 2 {
				t.Fatalf("error %v gives exit code %d, want 2 (usage)", err, exitCode(err))
			}
		})
	}
}

func TestMigrateAndImport(t *testing.T) {
	dir := t.TempDir()
	if out, err := cli(t, dir, "migrate"); err != nil || !strings.Contains(out, "up to date") {
		t.Fatalf("migrate = %q, %v", out, err)
	}
	st := openTestStore(t, dir)
	if _, err := st.CreateCampaign(context.Background(), store.Campaign{Slug: "demo", Name: "Demo", Locale: "en", Timezone: "UTC"}); err != nil {
		t.Fatal(err)
	}
	csv := filepath.Join(dir, "people.csv")
	body := "email,phone,country,channels,confirmed\nana@example.org,+5511987654321,BR,email;sms,true\nnot-an-email,,,email,true\n"
	if err := os.WriteFile(csv, []byte(body), 0o600); err != nil {
		t.Fatal(err)
	}
	out, err := cli(t, dir, "import", "--campaign", "demo", csv)
	if err != nil || !strings.Contains(out, "created 1, updated 0, skipped 1") || !strings.Contains(out, "line 3") {
		t.Fatalf("import = %q, %v; want one created and line 3 reported", out, err)
	}
}

func openTestStore(t *testing.T, dir string) *store.Store {
	t.Helper()
	st, err := store.Open(context.Background(), "sqlite:"+filepath.Join(dir, "muster.db"), store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = st.Close() })
	return st
}

// TestSendPreview prints, through a real API on the same database, what an
// alert would look like, and stores nothing.
func TestSendPreview(t *testing.T) {
	dir := t.TempDir()
	st := openTestStore(t, dir)
	if err := st.Migrate(context.Background()); err != nil {
		t.Fatal(err)
	}
	c, err := st.CreateCampaign(context.Background(), store.Campaign{Slug: "demo", Name: "Demo", Locale: "en",
		Timezone: "Europe/London", EmailFrom: "Demo <a@example.org>", SMSFrom: "+15005550006"})
	if err != nil {
		t.Fatal(err)
	}
	sub := func(ch store.Channel) store.SubscriptionInput {
		return store.SubscriptionInput{Channel: ch, Status: store.SubActive, Source: "api", ConsentText: "yes"}
	}
	if _, err := st.UpsertSupporters(context.Background(), c.ID, []store.SupporterUpsert{{
		Supporter:     store.Supporter{Email: "ana@example.org", Phone: "+5511987654321", Name: "Ana", Locale: "pt-BR", Country: "BR", Timezone: "America/Sao_Paulo"},
		Subscriptions: []store.SubscriptionInput{sub(store.ChannelEmail), sub(store.ChannelSMS)},
	}}); err != nil {
		t.Fatal(err)
	}
	r, err := render.New(templates.FS())
	if err != nil {
		t.Fatal(err)
	}
	secret, hash, err := api.GenerateKey()
	if err != nil {
		t.Fatal(err)
	}
	if _, err := st.CreateAPIKey(context.Background(), "cli", store.RoleOrganizer, hash); err != nil {
		t.Fatal(err)
	}
	client := asynq.NewClient(asynq.RedisClientOpt{Addr: redistest.Addr(), DB: redistest.DBCmd})
	t.Cleanup(func() { _ = client.Close() })
	srv := httptest.NewServer(api.New(api.Config{SMSRate: 10}, st, worker.NewQueue(client), r, nil, slog.New(slog.DiscardHandler)))
	t.Cleanup(srv.Close)

	out, err := cli(t, dir, "send", "--campaign", "demo", "--template", "mobilization", "--preview",
		"--api", srv.URL, "--key", secret, "--data", "title=Human chain", "--data", "starts_at=2030-10-08T12:00:00Z")
	if err != nil {
		t.Fatalf("send --preview: %v\n%s", err, out)
	}
	for _, want := range []string{
		"Audience: email 1, sms 1", "pt-BR    email 1, sms 1",
		"== email, variant pt, to 1 (rendered for Alex, pt-BR, America/Sao_Paulo)", "Subject: Vem com a gente: Human chain",
		"terça-feira, 8 de outubro, 09:00", "with a calendar invite",
		"== sms, variant pt, to 1", "8/10, 09:00 (UTC-3)", "Responda STOP para cancelar", "GSM-7", "1 segment(s)",
		"sms   1 messages at 10/s",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("the preview lacks %q:\n%s", want, out)
		}
	}
	if a, err := st.AlertByID(context.Background(), 1); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("the preview stored an alert: %+v, %v", a, err)
	}
}
