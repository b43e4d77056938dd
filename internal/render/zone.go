package render

import (
	"sync"
	"time"
)

// maxZones bounds the zone cache; there are about 600 IANA names, so only junk
// names from user input could ever reach it.
const maxZones = 1024

// zones caches time.LoadLocation, which reads the zone database on every call.
type zones struct {
	mu sync.RWMutex
	m  map[string]*time.Location // a nil value marks a name that does not load
}

func newZones() *zones { return &zones{m: make(map[string]*time.Location)} }

// load returns the named location, or nil when name is empty or unknown. "Local"
// is refused: a message must not depend on the server's zone.
func (z *zones) load(name string) *time.Location {
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

// pick returns the first of the named zones that loads, else UTC.
func (z *zones) pick(names ...string) *time.Location {
	for _, n := range names {
		if loc := z.load(n); loc != nil {
			return loc
		}
	}
	return time.UTC
}
