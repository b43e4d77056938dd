package web_test

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/muster-org/muster/internal/store"
	"github.com/muster-org/muster/internal/token"
)

const week = 7 * 24 * time.Hour

// editToken changes one character in the middle of tok, as by hand.
func editToken(tok string) string {
	i := len(tok) / 2
	c := byte('A')
	if tok[i] == 'A' {
		c = 'B'
	}
	return tok[:i] + string(c) + tok[i+1:]
}

func TestConfirm(t *testing.T) {
	other, err := token.NewSigner([]byte("another secret, also 32 bytes..."))
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		// tok makes the token from the ids of Ana (pending, Spanish), Bo
		// (pending) and Cy (pending, then unsubscribed).
		tok        func(s *token.Signer, ana, bo, cy, camp int64) string
		wantStatus int
		wantH1     string
		// want is the email subscription status of Ana, Bo and Cy after.
		want []store.SubscriptionStatus
	}{
		{
			name:       "valid: Ana confirmed, in her language",
			tok:        func(s *token.Signer, ana, _, _, c int64) string { return s.Confirm(ana, c, testNow, week) },
			wantStatus: http.StatusOK, wantH1: "¡Confirmado!",
			want: []store.SubscriptionStatus{store.SubActive, store.SubPending, store.SubUnsubscribed},
		},
		{
			name:       "another supporter's token confirms that supporter only",
			tok:        func(s *token.Signer, _, bo, _, c int64) string { return s.Confirm(bo, c, testNow, week) },
			wantStatus: http.StatusOK, wantH1: "You're confirmed",
			want: []store.SubscriptionStatus{store.SubPending, store.SubActive, store.SubUnsubscribed},
		},
		{
			name:       "edited by hand",
			tok:        func(s *token.Signer, ana, _, _, c int64) string { return editToken(s.Confirm(ana, c, testNow, week)) },
			wantStatus: http.StatusBadRequest, wantH1: "This link is not valid",
			want: []store.SubscriptionStatus{store.SubPending, store.SubPending, store.SubUnsubscribed},
		},
		{
			name:       "signed with another secret",
			tok:        func(_ *token.Signer, ana, _, _, c int64) string { return other.Confirm(ana, c, testNow, week) },
			wantStatus: http.StatusBadRequest, wantH1: "This link is not valid",
			want: []store.SubscriptionStatus{store.SubPending, store.SubPending, store.SubUnsubscribed},
		},
		{
			name: "an unsubscribe token",
			tok: func(s *token.Signer, ana, _, _, c int64) string {
				return s.Unsubscribe(ana, c, string(store.ChannelEmail), testNow)
			},
			wantStatus: http.StatusBadRequest, wantH1: "This link is not valid",
			want: []store.SubscriptionStatus{store.SubPending, store.SubPending, store.SubUnsubscribed},
		},
		{
			name:       "not a token",
			tok:        func(*token.Signer, int64, int64, int64, int64) string { return "hello" },
			wantStatus: http.StatusBadRequest, wantH1: "This link is not valid",
			want: []store.SubscriptionStatus{store.SubPending, store.SubPending, store.SubUnsubscribed},
		},
		{
			name:       "a supporter that does not exist",
			tok:        func(s *token.Signer, _, _, _, c int64) string { return s.Confirm(999, c, testNow, week) },
			wantStatus: http.StatusBadRequest, wantH1: "This link is not valid",
			want: []store.SubscriptionStatus{store.SubPending, store.SubPending, store.SubUnsubscribed},
		},
		{
			name: "expired",
			tok: func(s *token.Signer, ana, _, _, c int64) string {
				return s.Confirm(ana, c, testNow.Add(-week-time.Second), week)
			},
			wantStatus: http.StatusGone, wantH1: "Este enlace ha caducado",
			want: []store.SubscriptionStatus{store.SubPending, store.SubPending, store.SubUnsubscribed},
		},
		{
			name:       "unsubscribed since: not revived",
			tok:        func(s *token.Signer, _, _, cy, c int64) string { return s.Confirm(cy, c, testNow, week) },
			wantStatus: http.StatusOK, wantH1: "You had left",
			want: []store.SubscriptionStatus{store.SubPending, store.SubPending, store.SubUnsubscribed},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := newEnv(t)
			ana := e.seedSupporter(store.Supporter{Email: "ana@example.org", Locale: "es-AR"}, pendingEmail())
			bo := e.seedSupporter(store.Supporter{Email: "bo@example.org"}, pendingEmail())
			cy := e.seedSupporter(store.Supporter{Email: "cy@example.org"}, pendingEmail())
			if _, err := e.st.Unsubscribe(t.Context(), cy.ID, e.camp.ID, store.ChannelEmail, "unsubscribe_link", testNow); err != nil {
				t.Fatal(err)
			}
			res := e.get("/confirm/"+tt.tok(e.signer, ana.ID, bo.ID, cy.ID, e.camp.ID), nil).want(t, tt.wantStatus)
			if got := res.h1(); got != tt.wantH1 {
				t.Errorf("heading %q, want %q", got, tt.wantH1)
			}
			var got []store.SubscriptionStatus
			for _, id := range []int64{ana.ID, bo.ID, cy.ID} {
				got = append(got, e.subscription(id, store.ChannelEmail).Status)
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("statuses of Ana, Bo, Cy (-want +got):\n%s", diff)
			}
			for _, addr := range []string{"ana@", "bo@", "cy@"} {
				if strings.Contains(res.body, addr) {
					t.Errorf("page reveals %s", addr)
				}
			}
		})
	}
}

// TestConfirmHeadChangesNothing: a link checker's HEAD does not confirm; the
// person's GET does.
func TestConfirmHeadChangesNothing(t *testing.T) {
	e := newEnv(t)
	ana := e.seedSupporter(store.Supporter{Email: "ana@example.org"}, pendingEmail())
	tok := e.signer.Confirm(ana.ID, e.camp.ID, testNow, week)
	e.do(request{method: http.MethodHead, path: "/confirm/" + tok}).want(t, http.StatusOK)
	if got := e.subscription(ana.ID, store.ChannelEmail).Status; got != store.SubPending {
		t.Errorf("after a HEAD the subscription is %s, want still pending", got)
	}
	e.get("/confirm/"+tok, nil).want(t, http.StatusOK)
	if got := e.subscription(ana.ID, store.ChannelEmail).Status; got != store.SubActive {
		t.Errorf("after the GET the subscription is %s, want active", got)
	}
}

func TestConfirmTwice(t *testing.T) {
	e := newEnv(t)
	ana := e.seedSupporter(store.Supporter{Email: "ana@example.org"}, pendingEmail())
	tok := e.signer.Confirm(ana.ID, e.camp.ID, testNow, week)
	first := e.get("/confirm/"+tok, nil).want(t, http.StatusOK)
	second := e.get("/confirm/"+tok, nil).want(t, http.StatusOK)
	if diff := cmp.Diff(first.body, second.body); diff != "" {
		t.Errorf("second confirmation differs (-first +second):\n%s", diff)
	}
	if got := e.subscription(ana.ID, store.ChannelEmail).Status; got != store.SubActive {
		t.Errorf("status %s, want active", got)
	}
}

func TestConfirmExpiredLinksToJoin(t *testing.T) {
	e := newEnv(t)
	ana := e.seedSupporter(store.Supporter{Email: "ana@example.org"}, pendingEmail())
	res := e.get("/confirm/"+e.signer.Confirm(ana.ID, e.camp.ID, testNow.Add(-30*24*time.Hour), week), nil).want(t, http.StatusGone)
	if !strings.Contains(res.body, `<a href="/c/free-assange">Join Free Assange again</a>`) {
		t.Errorf("no link to the join page:\n%s", res.body)
	}
}
