package conversations

import (
	"net/http"

	parley "github.com/parley-dev/parley"
	"github.com/parley-dev/parley/internal/twilioapi"
)

// maxReceiptPageSize is the spec's PageSize maximum for receipt lists,
// lower than the other Conversations lists.
const maxReceiptPageSize = 50

type receiptJSON struct {
	AccountSID        string         `json:"account_sid"`
	ChatServiceSID    *string        `json:"chat_service_sid,omitempty"`
	ConversationSID   string         `json:"conversation_sid"`
	MessageSID        string         `json:"message_sid"`
	SID               string         `json:"sid"`
	ChannelMessageSID *string        `json:"channel_message_sid"`
	ParticipantSID    string         `json:"participant_sid"`
	Status            string         `json:"status"`
	ErrorCode         int            `json:"error_code"`
	DateCreated       twilioapi.Time `json:"date_created"`
	DateUpdated       twilioapi.Time `json:"date_updated"`
	URL               string         `json:"url"`
}

func (a *API) renderReceipt(r *http.Request, d *parley.DeliveryReceipt) receiptJSON {
	out := receiptJSON{AccountSID: d.AccountSID, ConversationSID: d.ConversationSID, MessageSID: d.MessageSID,
		SID: d.SID, ChannelMessageSID: d.ChannelMessageSID, ParticipantSID: d.ParticipantSID, Status: d.Status,
		ErrorCode: d.ErrorCode, DateCreated: twilioapi.NewTime(d.DateCreated), DateUpdated: twilioapi.NewTime(d.DateUpdated),
		URL: a.root(r) + "/Conversations/" + d.ConversationSID + "/Messages/" + d.MessageSID + "/Receipts/" + d.SID}
	if serviceSID(r) != "" {
		// Only the service-scoped receipt carries its service (spec: service_conversation_message_receipt).
		out.ChatServiceSID = &d.ServiceSID
	}
	return out
}

func (a *API) listReceipts(w http.ResponseWriter, r *http.Request) error {
	p, err := twilioapi.ParseParams(w, r)
	if err != nil {
		return err
	}
	pg, err := twilioapi.ParsePaging(p, maxReceiptPageSize)
	if err != nil {
		return err
	}
	page, err := a.app.ListDeliveryReceipts(r.Context(), serviceSID(r),
		r.PathValue("ConversationSid"), r.PathValue("MessageSid"), pg.Request)
	if err != nil {
		return err
	}
	twilioapi.WriteList(w, r, a.publicURL, pg, "delivery_receipts", page.Items, page.More, func(d *parley.DeliveryReceipt) int64 { return d.Seq },
		func(d *parley.DeliveryReceipt) receiptJSON { return a.renderReceipt(r, d) })
	return nil
}

func (a *API) fetchReceipt(w http.ResponseWriter, r *http.Request) error {
	d, err := a.app.DeliveryReceipt(r.Context(), serviceSID(r),
		r.PathValue("ConversationSid"), r.PathValue("MessageSid"), r.PathValue("Sid"))
	if err != nil {
		return err
	}
	twilioapi.WriteJSON(w, http.StatusOK, a.renderReceipt(r, d))
	return nil
}
