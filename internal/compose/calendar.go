package compose

import (
	"fmt"
	"time"

	"github.com/muster-org/muster/internal/ical"
	"github.com/muster-org/muster/internal/store"
)

// Calendar returns the .ics event every email of the alert carries, or nil
// when the alert names no start time (data.starts_at, RFC 3339) or calls off
// its action (data.status "cancelled"). Times are UTC, so each supporter's
// calendar shows the moment in their own zone. The event is the alert's: its
// UID is the alert's, so a message sent again replaces it in the calendar.
func Calendar(a store.Alert, c store.Campaign, domain string) []byte {
	start, ok := dataTime(a.Data, "starts_at")
	if !ok || dataText(a.Data, "status") == "cancelled" {
		return nil
	}
	e := ical.Event{
		UID: fmt.Sprintf("muster.a%d@%s", a.ID, domain), Start: start,
		Summary: dataText(a.Data, "title"), Location: dataText(a.Data, "place"),
		Description: dataText(a.Data, "details"), URL: dataText(a.Data, "url"), Stamp: a.CreatedAt,
	}
	if end, ok := dataTime(a.Data, "ends_at"); ok && end.After(start) {
		e.End = end
	}
	if e.Summary == "" {
		e.Summary = c.Name
	}
	b, err := e.Encode()
	if err != nil {
		// A bad URL or the like: send the email without the invite
		// rather than not at all.
		e.URL = ""
		if b, err = e.Encode(); err != nil {
			return nil
		}
	}
	return b
}

func dataText(data map[string]any, key string) string {
	s, _ := data[key].(string)
	return s
}

func dataTime(data map[string]any, key string) (time.Time, bool) {
	t, err := time.Parse(time.RFC3339, dataText(data, key))
	return t, err == nil
}
