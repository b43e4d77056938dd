package api

import "net/http"

// access is who may call a route.
type access int

const (
	public    access = iota // no key
	organizer               // an organizer or admin key
	admin                   // an admin key
)

// handler is an HTTP handler that returns its error for writeError to answer.
type handler func(w http.ResponseWriter, r *http.Request) error

// route is one line of the route table.
type route struct {
	pattern string
	access  access
	handle  handler
}

// routeTable lists every route of the API.
func (s *server) routeTable() []route {
	return []route{
		{"GET /healthz", public, s.healthz},
		{"GET /readyz", public, s.readyz},
		{"GET /openapi.yaml", public, s.openAPI},

		{"GET /v1/keys", admin, s.listKeys},

		{"POST /v1/campaigns", organizer, s.createCampaign},
		{"GET /v1/campaigns", organizer, s.listCampaigns},
		{"GET /v1/campaigns/{slug}", organizer, s.getCampaign},
		{"PATCH /v1/campaigns/{slug}", organizer, s.updateCampaign},

		{"POST /v1/campaigns/{slug}/supporters", organizer, s.upsertSupporter},
		{"GET /v1/campaigns/{slug}/supporters", organizer, s.listSupporters},
		{"POST /v1/campaigns/{slug}/supporters/import", organizer, s.importSupporters},
		{"GET /v1/supporters/{id}", organizer, s.getSupporter},
		{"GET /v1/supporters/{id}/export", organizer, s.exportSupporter},
		{"DELETE /v1/supporters/{id}", organizer, s.deleteSupporter},
		{"POST /v1/bounces", organizer, s.createBounce},

		{"POST /v1/campaigns/{slug}/alerts", organizer, s.createAlert},
		{"POST /v1/campaigns/{slug}/alerts/preview", organizer, s.previewAlert},
		{"GET /v1/alerts/{id}", organizer, s.getAlert},
		{"GET /v1/alerts/{id}/deliveries", organizer, s.listDeliveries},
		{"POST /v1/alerts/{id}/cancel", organizer, s.cancelAlert},

		{"GET /v1/templates", organizer, s.listTemplates},

		{"POST /webhooks/twilio/status", public, s.twilioStatus},
		{"POST /webhooks/twilio/inbound", public, s.twilioInbound},
	}
}

// routes builds the handler: the route table on a ServeMux, each route behind
// its access check, problem+json for unknown paths and methods, and request
// logging and panic recovery around everything.
func (s *server) routes() http.Handler {
	mux := http.NewServeMux()
	for _, rt := range s.routeTable() {
		mux.Handle(rt.pattern, s.authorize(rt.access, rt.handle))
	}
	return s.observe(s.fallback(mux))
}

// serve adapts a handler to http.Handler, answering its error.
func (s *server) serve(h handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if err := h(w, r); err != nil {
			s.writeError(w, r, err)
		}
	})
}
