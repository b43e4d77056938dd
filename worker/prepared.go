package worker

import (
	"sync"
	"time"

	"github.com/muster-org/muster/internal/compose"
	"github.com/muster-org/muster/internal/render"
	"github.com/muster-org/muster/internal/store"
)

// preparedAlerts is the number of alerts whose prepared rendering a worker keeps.
const preparedAlerts = 32

// prepared keeps each alert's prepared rendering across its batches, so the
// shapes of an alert (locale, zone...) are rendered once per process, not once
// per batch.
type prepared struct {
	mu    sync.Mutex
	items map[prepKey]prepItem
}

type prepKey struct {
	alert           int64
	campaignUpdated time.Time // a campaign edited mid-alert is prepared anew
}

type prepItem struct {
	p    *render.Prepared
	err  error
	used time.Time
}

// get returns the alert's prepared rendering, preparing it on first use.
func (c *prepared) get(r renderer, a store.Alert, camp store.Campaign) (*render.Prepared, error) {
	k := prepKey{a.ID, camp.UpdatedAt}
	c.mu.Lock()
	defer c.mu.Unlock()
	if it, ok := c.items[k]; ok {
		it.used = time.Now()
		c.items[k] = it
		return it.p, it.err
	}
	if c.items == nil {
		c.items = map[prepKey]prepItem{}
	}
	if len(c.items) >= preparedAlerts {
		c.evictOldest()
	}
	p, err := r.Prepare(compose.Message(a), compose.Campaign(camp))
	c.items[k] = prepItem{p: p, err: err, used: time.Now()}
	return p, err
}

func (c *prepared) evictOldest() {
	var oldest prepKey
	var at time.Time
	for k, it := range c.items {
		if at.IsZero() || it.used.Before(at) {
			oldest, at = k, it.used
		}
	}
	delete(c.items, oldest)
}
