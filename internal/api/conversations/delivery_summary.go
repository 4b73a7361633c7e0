package conversations

import (
	"net/http"

	parley "github.com/parley-dev/parley"
)

// deliveryJSON is a message's `delivery` aggregate: per status, whether
// all, some or none of its receipts reached it
// (https://www.twilio.com/docs/conversations/delivery-receipts).
type deliveryJSON struct {
	Total       int    `json:"total"`
	Sent        string `json:"sent"`
	Delivered   string `json:"delivered"`
	Read        string `json:"read"`
	Failed      string `json:"failed"`
	Undelivered string `json:"undelivered"`
}

// withDelivery sets the delivery aggregate of rendered messages that have
// receipts; the others keep null (chat-only conversations).
func (a *API) withDelivery(r *http.Request, out []messageJSON) error {
	sids := make([]string, len(out))
	for i, m := range out {
		sids[i] = m.SID
	}
	summaries, err := a.app.DeliverySummaries(r.Context(), sids)
	if err != nil {
		return err
	}
	for i := range out {
		if s := summaries[out[i].SID]; s != nil {
			out[i].Delivery = deliveryJSON{Total: s.Total, Sent: s.Sent, Delivered: s.Delivered, Read: s.Read,
				Failed: s.Failed, Undelivered: s.Undelivered}
		}
	}
	return nil
}

// renderMessages renders a page of messages with their delivery aggregates.
func (a *API) renderMessages(r *http.Request, ms []*parley.Message) ([]messageJSON, error) {
	out := make([]messageJSON, len(ms))
	for i, m := range ms {
		out[i] = a.renderMessage(r, m)
	}
	return out, a.withDelivery(r, out)
}
