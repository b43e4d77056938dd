package api_test

import (
	"context"
	"fmt"
	"os"
	"testing"

	"github.com/muster-org/muster/internal/store"
)

func TestSupporterExportAndErasure(t *testing.T) {
	e := twilioEnv(t)
	c, sups := sentSMS(e, store.Supporter{Email: "ana@example.org", Phone: "+447700900001", Name: "Ana"})
	ana := sups[0]
	if _, _, err := e.st.OptOutPhone(context.Background(), ana.Phone, testNow); err != nil {
		t.Fatal(err)
	}
	var exp struct {
		Supporter struct {
			Email         string `json:"email"`
			Subscriptions []struct {
				Channel, Status, ConsentText string
			} `json:"subscriptions"`
		} `json:"supporter"`
		Deliveries []struct {
			Status  string `json:"status"`
			AlertID int64  `json:"alert_id"`
		} `json:"deliveries"`
	}
	e.json("GET", fmt.Sprintf("/v1/supporters/%d/export", ana.ID), nil, 200, &exp)
	if exp.Supporter.Email != "ana@example.org" || len(exp.Supporter.Subscriptions) != 2 || len(exp.Deliveries) != 1 || exp.Deliveries[0].AlertID == 0 {
		t.Fatalf("export = %+v", exp)
	}

	res := e.do(request{method: "DELETE", path: fmt.Sprintf("/v1/supporters/%d", ana.ID), key: e.org})
	if res.status != 204 {
		t.Fatalf("DELETE: %d %s", res.status, res.body)
	}
	for _, path := range []string{"/v1/supporters/%d", "/v1/supporters/%d/export"} {
		if res := e.do(request{method: "GET", path: fmt.Sprintf(path, ana.ID), key: e.org}); res.status != 404 {
			t.Errorf("GET %s after erasure: %d", path, res.status)
		}
	}
	if res := e.do(request{method: "DELETE", path: fmt.Sprintf("/v1/supporters/%d", ana.ID), key: e.org}); res.status != 404 {
		t.Errorf("DELETE again: %d", res.status)
	}
	counts, err := e.st.AlertCounts(context.Background(), 1)
	if err != nil || counts[store.ChannelSMS][store.DeliverySent] != 1 {
		t.Errorf("the alert's counts after erasure: %v, %v; want the sent SMS still counted", counts, err)
	}
	// The number had texted STOP: an import does not subscribe it again.
	csv := "phone,name,channels,confirmed\n" + ana.Phone + ",Ana,sms,true\n"
	if res := e.do(request{method: "POST", path: "/v1/campaigns/" + c.Slug + "/supporters/import", key: e.org, contentType: "text/csv", body: csv}); res.status != 200 {
		t.Fatalf("import: %d %s", res.status, res.body)
	}
	back, _, err := e.st.ListSupporters(context.Background(), c.ID, store.SupporterFilter{Channel: store.ChannelSMS, Status: store.SubActive}, store.Page{})
	if err != nil || len(back) != 0 {
		t.Errorf("active SMS subscribers after re-importing the erased number: %d, %v; want 0", len(back), err)
	}
}

func TestBounces(t *testing.T) {
	e := newEnv(t)
	c := e.seedCampaign("free-assange")
	gone := e.seedSupporter(c, store.Supporter{Email: "nobody@example.net", Name: "Gone"})
	post := func(fixture string) bounceOut {
		t.Helper()
		raw, err := os.ReadFile("../bounce/testdata/" + fixture)
		if err != nil {
			t.Fatal(err)
		}
		res := e.do(request{method: "POST", path: "/v1/bounces", key: e.org, contentType: "message/rfc822", body: string(raw)})
		var out bounceOut
		if res.status != 200 {
			t.Fatalf("%s: %d %s", fixture, res.status, res.body)
		}
		mustUnmarshal(t, res.body, &out)
		return out
	}
	if out := post("autoreply.eml"); out.Kind != "none" || len(out.Suppressed) != 0 {
		t.Errorf("an autoreply: %+v", out)
	}
	if out := post("delayed-4.4.7.eml"); out.Kind != "soft" || len(out.Suppressed) != 0 {
		t.Errorf("a delay: %+v", out)
	}
	out := post("postfix-5.1.1.eml")
	if out.Kind != "hard" || len(out.Suppressed) != 1 || out.Suppressed[0] == "nobody@example.net" {
		t.Errorf("a hard bounce: %+v (the address must be masked)", out)
	}
	sub, err := e.st.Subscription(context.Background(), gone.ID, c.ID, store.ChannelEmail)
	if err != nil || sub.Status != store.SubSuppressed {
		t.Errorf("the bounced address's subscription: %+v, %v", sub, err)
	}
}

type bounceOut struct {
	Kind       string   `json:"kind"`
	Suppressed []string `json:"suppressed"`
}
