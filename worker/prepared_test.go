package worker

import (
	"testing"
	"time"

	"github.com/muster-org/muster/internal/render"
	"github.com/muster-org/muster/internal/store"
	"github.com/muster-org/muster/templates"
)

func TestPreparedCache(t *testing.T) {
	r, err := render.New(templates.FS())
	if err != nil {
		t.Fatal(err)
	}
	var c prepared
	camp := store.Campaign{Name: "C", Locale: "en", Timezone: "UTC", UpdatedAt: time.Unix(1, 0)}
	alert := func(id int64) store.Alert {
		return store.Alert{ID: id, Template: "mobilization", Data: map[string]any{"title": "T"}}
	}
	first, err := c.get(r, alert(1), camp)
	if err != nil || first == nil {
		t.Fatalf("get = %v, %v", first, err)
	}
	if again, _ := c.get(r, alert(1), camp); again != first {
		t.Error("the same alert was prepared twice")
	}
	camp.UpdatedAt = time.Unix(2, 0)
	if edited, _ := c.get(r, alert(1), camp); edited == first {
		t.Error("an edited campaign kept the old preparation")
	}
	for id := range int64(2 * preparedAlerts) {
		_, _ = c.get(r, alert(100+id), camp)
	}
	if len(c.items) > preparedAlerts {
		t.Errorf("%d alerts kept, want at most %d", len(c.items), preparedAlerts)
	}
	if _, err := c.get(r, store.Alert{ID: 9, Template: "nope"}, camp); err == nil {
		t.Error("an unknown template was prepared")
	}
}
