package store_test

import (
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/muster-org/muster/internal/store"
)

const (
	benchSupporters = 100_000
	benchPage       = 1000 // supporters per fan-out page, so deliveries per batch
	benchClaim      = 100  // deliveries per claim and per RecordResults
	benchWorkers    = 4    // goroutines claiming and recording, as delivery workers would
)

// benchCampaign returns a store with a campaign of benchSupporters supporters
// subscribed to email.
func benchCampaign(b *testing.B) (*store.Store, store.Campaign) {
	b.Helper()
	s := openSQLite(b)
	c, err := s.CreateCampaign(b.Context(), store.Campaign{Slug: "bench", Name: "Bench"})
	if err != nil {
		b.Fatalf("CreateCampaign: %v", err)
	}
	for first := 0; first < benchSupporters; first += 500 {
		upsertChunk(b, s, c.ID, first, 500)
	}
	return s, c
}

func upsertChunk(b *testing.B, s *store.Store, campaignID int64, first, n int) {
	b.Helper()
	rows := make([]store.SupporterUpsert, n)
	for i := range rows {
		rows[i] = store.SupporterUpsert{
			Supporter: store.Supporter{Email: fmt.Sprintf("s%d@example.org", first+i), Name: "Supporter",
				Locale: "en", Country: "GB", Tags: []string{"bench"}},
			Subscriptions: []store.SubscriptionInput{{Channel: store.ChannelEmail, Status: store.SubActive, Source: "import"}},
		}
	}
	if _, err := s.UpsertSupporters(b.Context(), campaignID, rows); err != nil {
		b.Fatalf("UpsertSupporters: %v", err)
	}
}

// BenchmarkFanoutAndClaim fans an email alert out to 100,000 supporters in
// pages of 1,000, then claims and records them sent in chunks of 100 from 4
// goroutines: the store's share of sending an alert.
func BenchmarkFanoutAndClaim(b *testing.B) {
	s, c := benchCampaign(b)
	var fanout, deliver time.Duration
	b.ResetTimer()
	for i := range b.N {
		a, _, err := s.CreateAlert(b.Context(), store.Alert{CampaignID: c.ID, Template: "t",
			Channels: []store.Channel{store.ChannelEmail}, IdempotencyKey: fmt.Sprint(i)})
		if err != nil {
			b.Fatalf("CreateAlert: %v", err)
		}
		start := time.Now()
		batches := benchFanout(b, s, a.ID)
		mid := time.Now()
		if n := benchDeliver(b, s, batches); n != benchSupporters {
			b.Fatalf("delivered %d, want %d", n, benchSupporters)
		}
		fanout, deliver = fanout+mid.Sub(start), deliver+time.Since(mid)
	}
	n := float64(b.N * benchSupporters)
	b.ReportMetric(n/fanout.Seconds(), "fanout-deliveries/s")
	b.ReportMetric(n/deliver.Seconds(), "claim+record-deliveries/s")
	b.ReportMetric(n/(fanout+deliver).Seconds(), "deliveries/s")
}

func benchFanout(b *testing.B, s *store.Store, alertID int64) []store.Batch {
	var batches []store.Batch
	now := time.Now()
	for {
		res, err := s.FanoutPage(b.Context(), alertID, benchPage, now)
		if err != nil {
			b.Fatalf("FanoutPage: %v", err)
		}
		batches = append(batches, res.Batches...)
		if res.Done {
			return batches
		}
	}
}

// benchDeliver claims and records every delivery of the batches, and returns how many.
func benchDeliver(b *testing.B, s *store.Store, batches []store.Batch) int {
	work := make(chan store.Batch, len(batches))
	for _, bt := range batches {
		work <- bt
	}
	close(work)
	var mu sync.Mutex
	total := 0
	var wg sync.WaitGroup
	for range benchWorkers {
		wg.Go(func() {
			n := deliverBatches(b, s, work)
			mu.Lock()
			total += n
			mu.Unlock()
		})
	}
	wg.Wait()
	return total
}

func deliverBatches(b *testing.B, s *store.Store, work <-chan store.Batch) int {
	n := 0
	for bt := range work {
		for {
			now := time.Now()
			cs, err := s.ClaimDeliveries(b.Context(), bt, benchClaim, now, now.Add(-time.Minute))
			if err != nil {
				b.Errorf("ClaimDeliveries: %v", err)
				return n
			}
			if len(cs) == 0 {
				break
			}
			rs := make([]store.Result, len(cs))
			for i, c := range cs {
				rs[i] = store.Result{DeliveryID: c.Delivery.ID, Status: store.DeliverySent, ProviderID: "<id@example.org>", At: now}
			}
			if err := s.RecordResults(b.Context(), rs); err != nil {
				b.Errorf("RecordResults: %v", err)
				return n
			}
			n += len(cs)
		}
	}
	return n
}

// BenchmarkUpsertSupporters imports supporters in chunks of 500, as a CSV import does.
func BenchmarkUpsertSupporters(b *testing.B) {
	s := openSQLite(b)
	c, err := s.CreateCampaign(b.Context(), store.Campaign{Slug: "bench", Name: "Bench"})
	if err != nil {
		b.Fatalf("CreateCampaign: %v", err)
	}
	b.ResetTimer()
	for i := range b.N {
		upsertChunk(b, s, c.ID, i*500, 500)
	}
	b.ReportMetric(float64(b.N*500)/b.Elapsed().Seconds(), "rows/s")
}
