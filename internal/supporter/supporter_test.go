package supporter_test

import (
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/muster-org/muster/internal/store"
	"github.com/muster-org/muster/internal/supporter"
)

func TestUpsertValid(t *testing.T) {
	tests := []struct {
		name string
		in   supporter.Input
		want store.SupporterUpsert
	}{
		{
			name: "full body, confirmed",
			in: supporter.Input{
				Email: "ana@Example.org", Phone: "+5511987654321", Name: " Ana ", Locale: "pt_br",
				Country: "br", Timezone: "America/Sao_Paulo", Tags: []string{"Embassy", "embassy", " vigil "},
				Channels: []string{"email", "sms"}, Confirmed: true,
				Consent: supporter.Consent{Text: "I agree", IP: "203.0.113.9"},
			},
			want: store.SupporterUpsert{
				Supporter: store.Supporter{
					Email: "ana@example.org", Phone: "+5511987654321", Name: "Ana", Locale: "pt-BR",
					Country: "BR", Timezone: "America/Sao_Paulo", Tags: []string{"embassy", "vigil"},
				},
				Subscriptions: []store.SubscriptionInput{
					{Channel: store.ChannelEmail, Status: store.SubActive, Source: "api", ConsentText: "I agree", ConsentIP: "203.0.113.9"},
					{Channel: store.ChannelSMS, Status: store.SubActive, Source: "api", ConsentText: "I agree", ConsentIP: "203.0.113.9"},
				},
			},
		},
		{
			name: "email only, unconfirmed: pending, channels defaulted",
			in:   supporter.Input{Email: "bo@example.org", Consent: supporter.Consent{Source: "form"}},
			want: store.SupporterUpsert{
				Supporter:     store.Supporter{Email: "bo@example.org", Tags: []string{}},
				Subscriptions: []store.SubscriptionInput{{Channel: store.ChannelEmail, Status: store.SubPending, Source: "form"}},
			},
		},
		{
			name: "phone with consent text: sms active; country and zone inferred",
			in:   supporter.Input{Phone: "+33 6 12 34 56 78", Consent: supporter.Consent{Text: "Yes, text me"}},
			want: store.SupporterUpsert{
				Supporter: store.Supporter{Phone: "+33612345678", Country: "FR", Timezone: "Europe/Paris", Tags: []string{}},
				Subscriptions: []store.SubscriptionInput{
					{Channel: store.ChannelSMS, Status: store.SubActive, Source: "api", ConsentText: "Yes, text me"},
				},
			},
		},
		{
			name: "international phone of another country: valid, the country kept, the zone the phone's",
			in:   supporter.Input{Phone: "+33 6 12 34 56 78", Country: "CA", Confirmed: true},
			want: store.SupporterUpsert{
				Supporter:     store.Supporter{Phone: "+33612345678", Country: "CA", Timezone: "Europe/Paris", Tags: []string{}},
				Subscriptions: []store.SubscriptionInput{{Channel: store.ChannelSMS, Status: store.SubActive, Source: "api"}},
			},
		},
		{
			name: "email in any case is one address; names keep accents and joiners",
			in:   supporter.Input{Email: " Ana.Lima@Example.ORG ", Name: "Zoë 👩\u200d🔬", Confirmed: true},
			want: store.SupporterUpsert{
				Supporter:     store.Supporter{Email: "ana.lima@example.org", Name: "Zoë 👩\u200d🔬", Tags: []string{}},
				Subscriptions: []store.SubscriptionInput{{Channel: store.ChannelEmail, Status: store.SubActive, Source: "api"}},
			},
		},
		{
			name: "national phone read in its country; email channel only",
			in:   supporter.Input{Email: "cy@example.org", Phone: "07400 123456", Country: "GB", Channels: []string{"email"}},
			want: store.SupporterUpsert{
				Supporter:     store.Supporter{Email: "cy@example.org", Phone: "+447400123456", Country: "GB", Timezone: "Europe/London", Tags: []string{}},
				Subscriptions: []store.SubscriptionInput{{Channel: store.ChannelEmail, Status: store.SubPending, Source: "api"}},
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, errs := tt.in.Upsert(supporter.SourceAPI)
			if errs != nil {
				t.Fatalf("Upsert() errors = %v", errs)
			}
			if diff := cmp.Diff(tt.want, got, cmpopts.EquateEmpty()); diff != "" {
				t.Errorf("Upsert() mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

func TestUpsertInvalid(t *testing.T) {
	tests := []struct {
		name string
		in   supporter.Input
		want []string // fields in error, in order
	}{
		{name: "nothing", in: supporter.Input{}, want: []string{"email"}},
		{name: "email without domain", in: supporter.Input{Email: "ana"}, want: []string{"email"}},
		{name: "national phone invalid for its country", in: supporter.Input{Phone: "(11) 98765-4321", Country: "GB", Confirmed: true}, want: []string{"phone"}},
		{name: "NUL in a name", in: supporter.Input{Email: "a@example.org", Name: "Ana\x00"}, want: []string{"name"}},
		{name: "invalid UTF-8 in a name", in: supporter.Input{Email: "a@example.org", Name: "An\xe9"}, want: []string{"name"}},
		{name: "line feed in a name", in: supporter.Input{Email: "a@example.org", Name: "Ana\nSmith"}, want: []string{"name"}},
		{name: "line separator in a name", in: supporter.Input{Email: "a@example.org", Name: "Ana\u2028Smith"}, want: []string{"name"}},
		{name: "C1 control in a name", in: supporter.Input{Email: "a@example.org", Name: "An\u0085a"}, want: []string{"name"}},
		{name: "control in consent text", in: supporter.Input{Phone: "+5511987654321", Consent: supporter.Consent{Text: "I agree\x1b[31m"}}, want: []string{"consent.text"}},
		{name: "invalid UTF-8 in consent text", in: supporter.Input{Phone: "+5511987654321", Consent: supporter.Consent{Text: "I agree \xff"}}, want: []string{"consent.text"}},
		{name: "invalid UTF-8 in a tag", in: supporter.Input{Email: "a@example.org", Tags: []string{"emb\xffassy"}}, want: []string{"tags"}},
		{name: "invalid UTF-8 in an email", in: supporter.Input{Email: "an\xffa@example.org"}, want: []string{"email"}},
		{name: "unknown country", in: supporter.Input{Email: "a@example.org", Country: "XX"}, want: []string{"country"}},
		{
			name: "every field wrong at once",
			in: supporter.Input{
				Email: "a@b", Phone: "12", Name: "x\x00", Locale: "zz-!!", Timezone: "Mars/Olympus",
				Tags: []string{""}, Channels: []string{"pigeon"},
				Consent: supporter.Consent{Source: "rumour", IP: "1.2.3"},
			},
			want: []string{"email", "phone", "name", "locale", "timezone", "tags", "consent.source", "consent.ip", "channels"},
		},
		{name: "sms channel without phone", in: supporter.Input{Email: "a@example.org", Channels: []string{"sms"}}, want: []string{"channels"}},
		{name: "email channel without email", in: supporter.Input{Phone: "+5511987654321", Channels: []string{"email"}, Confirmed: true}, want: []string{"channels"}},
		{name: "sms without consent", in: supporter.Input{Phone: "+5511987654321"}, want: []string{"consent.text"}},
		{name: "an empty channel list means the default", in: supporter.Input{Email: "a@example.org", Channels: []string{}}, want: nil},
		{name: "Local is no IANA zone", in: supporter.Input{Email: "a@example.org", Timezone: "Local"}, want: []string{"timezone"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, errs := tt.in.Upsert(supporter.SourceAPI)
			var got []string
			for _, e := range errs {
				if e.Message == "" {
					t.Errorf("field %s has an empty message", e.Field)
				}
				got = append(got, e.Field)
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("fields in error mismatch (-want +got):\n%s", diff)
			}
		})
	}
}
