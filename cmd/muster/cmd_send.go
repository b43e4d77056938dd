package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/muster-org/muster/internal/config"
)

// sendFlags are the flags of `muster send`.
type sendFlags struct {
	campaign, template, content, dataFile string
	data                                  multiFlag
	channels, countries, tags, locales    string
	sendAt, expiresAt, idempotencyKey     string
	urgent, wait, preview                 bool
	supporter                             int64
	sendToEmail, sendToPhone              string
	api, key                              string
}

// multiFlag collects a repeated key=value flag.
type multiFlag []string

func (m *multiFlag) String() string     { return strings.Join(*m, ",") }
func (m *multiFlag) Set(v string) error { *m = append(*m, v); return nil }

// cmdSend enqueues an alert through the API (so it is validated exactly as an
// organizer's script would be) and, with --wait, shows its progress until done.
func cmdSend(ctx context.Context, e env, args []string) error {
	f, err := parseSend(e, args)
	if err != nil {
		return err
	}
	cfg, err := config.Load(e.getenv)
	if err != nil {
		return err
	}
	c := apiClient{base: strings.TrimSuffix(firstOf(f.api, cfg.BaseURL), "/"), key: f.key}
	if c.key == "" {
		c.key = firstOf(e.getenv("MUSTER_API_KEY"), demoKeyFile(cfg.DataDir))
	}
	if c.key == "" {
		return fmt.Errorf("%w: no API key: set MUSTER_API_KEY or --key (make one with `muster keys create`)", errUsage)
	}
	body, err := f.body()
	if err != nil {
		return err
	}
	if f.preview {
		return f.showPreview(ctx, c, e.stdout, body)
	}
	var a alertView
	if err := c.do(ctx, "POST", "/v1/campaigns/"+f.campaign+"/alerts", f.idempotencyKey, body, &a); err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "alert %d %s, %d supporters so far\n", a.ID, a.Status, a.AudienceSize)
	if !f.wait {
		return nil
	}
	return c.watch(ctx, e.stdout, a.ID)
}

func parseSend(e env, args []string) (sendFlags, error) {
	var f sendFlags
	fs := flag.NewFlagSet("send", flag.ContinueOnError)
	fs.SetOutput(e.stderr)
	fs.StringVar(&f.campaign, "campaign", "", "the campaign's slug (required)")
	fs.StringVar(&f.template, "template", "", "a named template, e.g. mobilization")
	fs.StringVar(&f.content, "content", "", `a JSON file of inline content by locale: {"en": {"subject","body","sms"}}`)
	fs.Var(&f.data, "data", "template data as key=value (repeatable)")
	fs.StringVar(&f.dataFile, "data-file", "", "template data as a JSON object file")
	fs.StringVar(&f.channels, "channels", "email,sms", "channels, comma-separated")
	fs.StringVar(&f.countries, "countries", "", "audience: ISO country codes, comma-separated")
	fs.StringVar(&f.tags, "tags", "", "audience: tags, comma-separated")
	fs.StringVar(&f.locales, "locales", "", "audience: locales, comma-separated")
	fs.StringVar(&f.sendAt, "send-at", "", "RFC 3339 time to send at (default now)")
	fs.StringVar(&f.expiresAt, "expires-at", "", "RFC 3339 time after which nothing is sent")
	fs.StringVar(&f.idempotencyKey, "idempotency-key", "", "send the same alert at most once for this key")
	fs.BoolVar(&f.urgent, "urgent", false, "ignore SMS quiet hours")
	fs.BoolVar(&f.wait, "wait", false, "show live progress until the alert is done")
	fs.BoolVar(&f.preview, "preview", false, "show what each part of the audience would receive, and when; send nothing")
	fs.Int64Var(&f.supporter, "supporter", 0, "with --preview: render for this supporter id instead of samples")
	fs.StringVar(&f.sendToEmail, "send-to-email", "", "with --preview: send a test copy to this address")
	fs.StringVar(&f.sendToPhone, "send-to-phone", "", "with --preview: send a test copy to this number (E.164)")
	fs.StringVar(&f.api, "api", "", "the API's base URL (default MUSTER_BASE_URL)")
	fs.StringVar(&f.key, "key", "", "API key (default MUSTER_API_KEY)")
	if err := fs.Parse(args); err != nil {
		return f, fmt.Errorf("%w: %w", errUsage, err)
	}
	if f.campaign == "" || (f.template == "") == (f.content == "") || fs.NArg() > 0 {
		return f, fmt.Errorf("%w: muster send --campaign SLUG (--template NAME | --content FILE.json) [--preview] [flags]", errUsage)
	}
	if !f.preview && (f.supporter != 0 || f.sendToEmail != "" || f.sendToPhone != "") {
		return f, fmt.Errorf("%w: --supporter, --send-to-email and --send-to-phone go with --preview", errUsage)
	}
	return f, nil
}

// showPreview asks the API for the alert's preview and prints it.
func (f sendFlags) showPreview(ctx context.Context, c apiClient, w io.Writer, body map[string]any) error {
	if f.supporter != 0 {
		body["supporter_id"] = f.supporter
	}
	if f.sendToEmail != "" || f.sendToPhone != "" {
		to := map[string]any{}
		setIf(to, "email", f.sendToEmail)
		setIf(to, "phone", f.sendToPhone)
		body["send_to"] = to
	}
	var p previewView
	if err := c.do(ctx, "POST", "/v1/campaigns/"+f.campaign+"/alerts/preview", "", body, &p); err != nil {
		return err
	}
	p.print(w)
	return nil
}

// body builds the JSON body of the alert request.
func (f sendFlags) body() (map[string]any, error) {
	b := map[string]any{"channels": split(f.channels), "urgent": f.urgent}
	if f.template != "" {
		b["template"] = f.template
	} else {
		var content map[string]any
		if err := readJSON(f.content, &content); err != nil {
			return nil, err
		}
		b["content"] = content
	}
	data := map[string]any{}
	if f.dataFile != "" {
		if err := readJSON(f.dataFile, &data); err != nil {
			return nil, err
		}
	}
	for _, kv := range f.data {
		k, v, ok := strings.Cut(kv, "=")
		if !ok {
			return nil, fmt.Errorf("%w: --data %q: want key=value", errUsage, kv)
		}
		data[k] = v
	}
	b["data"] = data
	aud := map[string]any{}
	for name, v := range map[string]string{"countries": f.countries, "tags": f.tags, "locales": f.locales} {
		if v != "" {
			aud[name] = split(v)
		}
	}
	b["audience"] = aud
	setIf(b, "send_at", f.sendAt)
	setIf(b, "expires_at", f.expiresAt)
	return b, nil
}

func readJSON(path string, v any) error {
	raw, err := os.ReadFile(path)
	if err != nil {
		return fmt.Errorf("read %s: %w", path, err)
	}
	if err := json.Unmarshal(raw, v); err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	return nil
}

func split(s string) []string {
	var out []string
	for p := range strings.SplitSeq(s, ",") {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}

func setIf(m map[string]any, k, v string) {
	if v != "" {
		m[k] = v
	}
}

func firstOf(vs ...string) string {
	for _, v := range vs {
		if v != "" {
			return v
		}
	}
	return ""
}

// demoKeyFile is the key `muster run --demo` made, if any.
func demoKeyFile(dataDir string) string {
	b, err := os.ReadFile(filepath.Join(dataDir, "demo.key"))
	if err != nil {
		return ""
	}
	return strings.TrimSpace(string(b))
}

// pollEvery is how often --wait asks for progress.
const pollEvery = 500 * time.Millisecond
