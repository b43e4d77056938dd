package api

import (
	"errors"
	"net/http"

	"github.com/muster-org/muster/internal/contact"
	"github.com/muster-org/muster/internal/keyword"
	"github.com/muster-org/muster/internal/store"
)

// twilioInbound takes an SMS a supporter sent to a campaign's number. STOP
// and its translations end SMS for that number on every campaign, START and
// its translations bring back what STOP ended, HELP answers with the
// campaign's contact line; the answer is TwiML in the supporter's language,
// or empty when Twilio's Advanced Opt-Out has already answered (OptOutType)
// or the message is not a keyword.
func (s *server) twilioInbound(w http.ResponseWriter, r *http.Request) error {
	form, err := s.twilioForm(w, r)
	if err != nil {
		return err
	}
	ctx := r.Context()
	k := keyword.Parse(form.Get("Body"))
	if k.Kind == keyword.None {
		return writeTwiML(w, "") // an ordinary message: nothing to do, nothing to answer
	}
	from := form.Get("From")
	camp, err := s.st.CampaignBySMSSender(ctx, form.Get("To"), form.Get("MessagingServiceSid"))
	if err != nil && !errors.Is(err, store.ErrNotFound) {
		return err
	}
	var sup store.Supporter
	switch k.Kind {
	case keyword.Stop:
		sup, _, err = s.st.OptOutPhone(ctx, from, s.cfg.Now())
	case keyword.Start:
		sup, _, err = s.st.OptInPhone(ctx, from, s.cfg.Now())
	case keyword.Help:
		sup, err = s.st.SupporterByPhone(ctx, from)
		if errors.Is(err, store.ErrNotFound) {
			err = nil
		}
	}
	if err != nil {
		return err
	}
	s.log.InfoContext(ctx, "sms keyword", "keyword", k.Kind.String(), "from", contact.MaskPhone(from),
		"supporter_id", sup.ID, "request_id", requestIDFrom(ctx))
	reply := k.Reply(sup.Locale, camp.Name, camp.Contact)
	if form.Get("OptOutType") != "" {
		reply = "" // Twilio's Advanced Opt-Out answered already
	}
	return writeTwiML(w, reply)
}

// writeTwiML answers an inbound SMS with reply, or with no message when reply is empty.
func writeTwiML(w http.ResponseWriter, reply string) error {
	w.Header().Set("Content-Type", "text/xml; charset=utf-8")
	w.WriteHeader(http.StatusOK)
	_, err := w.Write([]byte(keyword.TwiML(reply)))
	return err
}
