package localtime

import (
	"sync"
	"time"
)

// maxZones bounds a Zones cache; there are about 600 IANA names, so only junk
// names from user input could ever reach it.
const maxZones = 1024

// Zones caches time.LoadLocation, which reads the zone database on every call.
// It is safe for concurrent use.
type Zones struct {
	mu sync.RWMutex
	m  map[string]*time.Location // a nil value marks a name that does not load
}

// NewZones returns an empty cache.
func NewZones() *Zones { return &Zones{m: make(map[string]*time.Location)} }

// Load returns the named location, or nil when name is empty or unknown. "Local"
// is refused: a message must not depend on the server's zone.
func (z *Zones) Load(name string) *time.Location {
	if name == "" || name == "Local" {
		return nil
	}
	z.mu.RLock()
	loc, ok := z.m[name]
	z.mu.RUnlock()
	if ok {
		return loc
	}
	loc, err := time.LoadLocation(name)
	if err != nil {
		loc = nil
	}
	z.mu.Lock()
	if len(z.m) < maxZones {
		z.m[name] = loc
	}
	z.mu.Unlock()
	return loc
}

// Pick returns the first of the named zones that loads, else UTC: a
// supporter's zone, then their campaign's.
func (z *Zones) Pick(names ...string) *time.Location {
	for _, n := range names {
		if loc := z.Load(n); loc != nil {
			return loc
		}
	}
	return time.UTC
}
