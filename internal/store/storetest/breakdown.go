package storetest

import (
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/muster-org/muster/internal/store"
)

// testAudienceBreakdown counts an audience by channel, locale, zone and country,
// with the fan-out's filters, and records nothing.
func testAudienceBreakdown(t *testing.T, open Opener) {
	e := newEnv(t, open)
	c, other := e.campaign("c"), e.campaign("other")
	email, sms := store.ChannelEmail, store.ChannelSMS
	br := person(1, active(email), active(sms))
	br.Supporter.Locale, br.Supporter.Country, br.Supporter.Timezone = "pt-BR", "BR", "America/Sao_Paulo"
	br2 := person(2, active(sms))
	br2.Supporter.Locale, br2.Supporter.Country, br2.Supporter.Timezone = "pt-BR", "BR", "America/Sao_Paulo"
	es := person(3, active(email), active(sms))
	es.Supporter.Locale, es.Supporter.Country, es.Supporter.Timezone = "es-AR", "AR", ""
	sups := e.upsert(c.ID, br, br2, es, person(4, active(sms)), person(5, pending(email)))
	e.unsubscribe(c.ID, sms, sups[3])
	e.upsert(other.ID, person(6, active(email), active(sms)))

	tests := []struct {
		name     string
		aud      store.Audience
		channels []store.Channel
		want     []store.AudienceGroup
	}{
		{"everyone on both channels", store.Audience{}, []store.Channel{email, sms}, []store.AudienceGroup{
			{Channel: email, Locale: "es-AR", Country: "AR", Count: 1},
			{Channel: email, Locale: "pt-BR", Timezone: "America/Sao_Paulo", Country: "BR", Count: 1},
			{Channel: sms, Locale: "es-AR", Country: "AR", Count: 1},
			{Channel: sms, Locale: "pt-BR", Timezone: "America/Sao_Paulo", Country: "BR", Count: 2},
		}},
		{"SMS in Brazil", store.Audience{Countries: []string{"br"}}, []store.Channel{sms}, []store.AudienceGroup{
			{Channel: sms, Locale: "pt-BR", Timezone: "America/Sao_Paulo", Country: "BR", Count: 2},
		}},
		{"Spanish speakers", store.Audience{Locales: []string{"es"}}, []store.Channel{email}, []store.AudienceGroup{
			{Channel: email, Locale: "es-AR", Country: "AR", Count: 1},
		}},
		{"nobody", store.Audience{Tags: []string{"none"}}, []store.Channel{email}, nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := e.s.AudienceBreakdown(e.ctx, c.ID, tc.aud, tc.channels)
			if err != nil {
				t.Fatalf("AudienceBreakdown: %v", err)
			}
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("AudienceBreakdown (-want +got):\n%s", diff)
			}
		})
	}
}
