package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/muster-org/muster/internal/store"
)

// results are what one run measured.
type results struct {
	seedRate      float64
	enqueueP50    time.Duration
	enqueueP99    time.Duration
	fanout        time.Duration
	total         time.Duration
	messages      int64
	received      int
	workerPeakRSS int64 // bytes (VmHWM)
	serverPeakRSS int64
	redisPeak     int64 // bytes above the baseline
	counts        map[store.Channel]map[store.DeliveryStatus]int64
}

func (b *bench) measure(ctx context.Context) (results, error) {
	var r results
	r.seedRate = float64(b.o.n) / elapsed(b.seedTime)
	lat, err := b.enqueueLatency(ctx)
	if err != nil {
		return r, err
	}
	r.enqueueP50, r.enqueueP99 = lat[len(lat)/2], lat[len(lat)*99/100]
	baseline := b.redisUsed(ctx)
	sampler := b.sample(ctx, baseline)
	fmt.Fprintln(os.Stderr, "sending the alert...")
	start := time.Now()
	id, err := b.post(ctx, "bench")
	if err != nil {
		return r, err
	}
	if r.fanout, r.total, err = b.wait(ctx, id, start); err != nil {
		return r, err
	}
	r.redisPeak = sampler()
	r.workerPeakRSS, r.serverPeakRSS = peakRSS(b.worker.Process.Pid), peakRSS(b.serve.Process.Pid)
	if r.counts, err = b.st.AlertCounts(ctx, id); err != nil {
		return r, err
	}
	for _, byStatus := range r.counts {
		r.messages += byStatus[store.DeliverySent]
	}
	r.received = b.tw.Count()
	if b.smtp != nil {
		r.received += b.smtp.Count()
	} else {
		r.received += int(r.counts[store.ChannelEmail][store.DeliverySent]) // smtp-sink counts nothing for us
	}
	return r, nil
}

func (b *bench) enqueueLatency(ctx context.Context) ([]time.Duration, error) {
	lat := make([]time.Duration, 0, b.o.enqueues)
	for range max(b.o.enqueues, 1) {
		start := time.Now()
		if _, err := b.post(ctx, "empty"); err != nil {
			return nil, err
		}
		lat = append(lat, time.Since(start))
	}
	slices.Sort(lat)
	return lat, nil
}

func (b *bench) post(ctx context.Context, slug string) (int64, error) {
	body, _ := json.Marshal(map[string]any{"template": "mobilization", "channels": b.o.channels,
		"data": map[string]string{"title": "Human chain around Parliament", "starts_at": "2026-12-05T13:00:00Z",
			"place": "Parliament Square, London", "url": "https://example.org/chain"}})
	req, _ := http.NewRequestWithContext(ctx, http.MethodPost, b.base+"/v1/campaigns/"+slug+"/alerts", bytes.NewReader(body))
	req.Header.Set("Authorization", "Bearer "+b.key)
	req.Header.Set("Content-Type", "application/json")
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		return 0, err
	}
	defer func() { _ = res.Body.Close() }()
	raw, _ := io.ReadAll(res.Body)
	if res.StatusCode != http.StatusAccepted {
		return 0, fmt.Errorf("post alert: %s: %s", res.Status, raw)
	}
	var a struct {
		ID int64 `json:"id"`
	}
	return a.ID, json.Unmarshal(raw, &a)
}

// wait polls the store until the alert is done; it returns when the fan-out
// and the whole alert finished, measured from start.
func (b *bench) wait(ctx context.Context, id int64, start time.Time) (fanout, total time.Duration, err error) {
	tick := time.NewTicker(50 * time.Millisecond)
	defer tick.Stop()
	last := time.Now()
	for {
		a, err := b.st.AlertByID(ctx, id)
		if err != nil {
			return 0, 0, err
		}
		if a.FanoutDone && fanout == 0 {
			fanout = time.Since(start)
		}
		if a.Status.Final() {
			return fanout, time.Since(start), nil
		}
		if time.Since(last) > 5*time.Second {
			last = time.Now()
			fmt.Fprintf(os.Stderr, "  %5.0fs: %s\n", time.Since(start).Seconds(), a.Status)
		}
		select {
		case <-ctx.Done():
			return 0, 0, ctx.Err()
		case <-tick.C:
		}
	}
}

// sample records Redis's memory above baseline until the returned func is called.
func (b *bench) sample(ctx context.Context, baseline int64) func() int64 {
	ctx, cancel := context.WithCancel(ctx)
	var (
		wg   sync.WaitGroup
		peak int64
	)
	wg.Go(func() {
		tick := time.NewTicker(100 * time.Millisecond)
		defer tick.Stop()
		for {
			peak = max(peak, b.redisUsed(ctx)-baseline)
			select {
			case <-ctx.Done():
				return
			case <-tick.C:
			}
		}
	})
	return func() int64 {
		cancel()
		wg.Wait()
		return peak
	}
}

func (b *bench) redisUsed(ctx context.Context) int64 {
	info, err := b.rdb.Info(ctx, "memory").Result()
	if err != nil {
		return 0
	}
	for line := range strings.SplitSeq(info, "\r\n") {
		if v, ok := strings.CutPrefix(line, "used_memory:"); ok {
			n, _ := strconv.ParseInt(v, 10, 64)
			return n
		}
	}
	return 0
}

// peakRSS reads a process's peak resident set (VmHWM) from /proc.
func peakRSS(pid int) int64 {
	f, err := os.Open(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return 0
	}
	defer func() { _ = f.Close() }()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if v, ok := strings.CutPrefix(sc.Text(), "VmHWM:"); ok {
			kb, _ := strconv.ParseInt(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(v), "kB")), 10, 64)
			return kb * 1024
		}
	}
	return 0
}

func (r results) print(w io.Writer, o options) {
	mb := func(n int64) string { return fmt.Sprintf("%.0f MB", float64(n)/(1<<20)) }
	fmt.Fprintf(w, "\nmusterbench: %d supporters x %s, %d CPUs, %s\n\n", o.n, strings.Join(o.channels, "+"), runtime.NumCPU(), time.Now().UTC().Format("2006-01-02"))
	fmt.Fprintln(w, "| measure | value |\n| --- | --- |")
	fmt.Fprintf(w, "| seed (store upserts) | %.0f supporters/s |\n", r.seedRate)
	fmt.Fprintf(w, "| enqueue latency p50 / p99 (%d POSTs) | %v / %v |\n", o.enqueues, r.enqueueP50.Round(10*time.Microsecond), r.enqueueP99.Round(10*time.Microsecond))
	fmt.Fprintf(w, "| fan-out (all deliveries recorded) | %.1f s, %.0f supporters/s |\n", r.fanout.Seconds(), float64(o.n)/elapsed(r.fanout))
	fmt.Fprintf(w, "| whole alert, POST to completed | %.1f s |\n", r.total.Seconds())
	fmt.Fprintf(w, "| delivery rate, end to end | %.0f messages/s (%d messages) |\n", float64(r.messages)/elapsed(r.total), r.messages)
	fmt.Fprintf(w, "| received by the sinks | %d |\n", r.received)
	fmt.Fprintf(w, "| peak RSS: worker / API | %s / %s |\n", mb(r.workerPeakRSS), mb(r.serverPeakRSS))
	fmt.Fprintf(w, "| peak Redis memory above idle | %s |\n", mb(r.redisPeak))
	fmt.Fprintf(w, "\ncounts: %v\n", r.counts)
}
