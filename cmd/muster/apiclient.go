package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"sort"
	"strconv"
	"strings"
	"time"
)

// apiClient is the little HTTP client `muster send` uses.
type apiClient struct {
	base, key string
}

// alertView is the part of the API's alert the CLI shows.
type alertView struct {
	ID           int64                       `json:"id"`
	Status       string                      `json:"status"`
	AudienceSize int64                       `json:"audience_size"`
	Counts       map[string]map[string]int64 `json:"counts"`
	Blocked      map[string]string           `json:"blocked"`
}

func (c apiClient) do(ctx context.Context, method, path, idemKey string, body, out any) error {
	var rd io.Reader
	if body != nil {
		b, err := json.Marshal(body)
		if err != nil {
			return fmt.Errorf("encode request: %w", err)
		}
		rd = bytes.NewReader(b)
	}
	req, err := http.NewRequestWithContext(ctx, method, c.base+path, rd)
	if err != nil {
		return fmt.Errorf("request: %w", err)
	}
	req.Header.Set("Authorization", "Bearer "+c.key)
	req.Header.Set("Content-Type", "application/json")
	if idemKey != "" {
		req.Header.Set("Idempotency-Key", idemKey)
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		return fmt.Errorf("%s %s: %w (is `muster run` or `muster serve` running?)", method, path, err)
	}
	defer func() { _ = res.Body.Close() }()
	raw, err := io.ReadAll(io.LimitReader(res.Body, 1<<20))
	if err != nil {
		return fmt.Errorf("%s %s: %w", method, path, err)
	}
	if res.StatusCode >= 300 {
		return fmt.Errorf("%s %s: %s\n%s", method, path, res.Status, raw)
	}
	return json.Unmarshal(raw, out)
}

// watch prints the alert's progress until it is completed, cancelled or expired.
func (c apiClient) watch(ctx context.Context, w io.Writer, id int64) error {
	t := time.NewTicker(pollEvery)
	defer t.Stop()
	for {
		var a alertView
		if err := c.do(ctx, "GET", "/v1/alerts/"+strconv.FormatInt(id, 10), "", nil, &a); err != nil {
			return err
		}
		fmt.Fprintf(w, "\r%-10s %s ", a.Status, summary(a))
		if a.Status == "completed" || a.Status == "cancelled" || a.Status == "expired" {
			fmt.Fprintln(w)
			for ch, reason := range a.Blocked {
				fmt.Fprintf(w, "%s stopped: %s\n", ch, reason)
			}
			return nil
		}
		select {
		case <-ctx.Done():
			fmt.Fprintln(w)
			return ctx.Err()
		case <-t.C:
		}
	}
}

// summary renders counts as "email: sent 3, queued 1 | sms: sent 4".
func summary(a alertView) string {
	var parts []string
	for _, ch := range []string{"email", "sms"} {
		counts, ok := a.Counts[ch]
		if !ok {
			continue
		}
		statuses := make([]string, 0, len(counts))
		for s := range counts {
			statuses = append(statuses, s)
		}
		sort.Strings(statuses)
		var cs []string
		for _, s := range statuses {
			cs = append(cs, fmt.Sprintf("%s %d", s, counts[s]))
		}
		parts = append(parts, ch+": "+strings.Join(cs, ", "))
	}
	return strings.Join(parts, " | ")
}
