package client

import (
	"net/http"
	"strconv"

	parley "github.com/parley-dev/parley"
	"github.com/parley-dev/parley/internal/twilioapi"
)

// The SDK's side endpoints (reference §2.3): detailed delivery receipts,
// a message's channel metadata, message recipients and content templates.
// Each answers as the SDK reads it, so no SDK call fails or logs an error.

// registerSide adds the side endpoints to mux.
func (a *API) registerSide(mux *http.ServeMux) {
	mux.Handle("GET /Client/v2/ContentTemplates", a.handle(a.contentTemplates))
	mux.Handle("GET /Client/v2/Conversations/{conversation}/Messages/{message}/Receipts", a.handle(a.receipts))
	mux.Handle("GET /Client/v2/Conversations/{conversation}/Messages/{message}/ChannelMetadata", a.handle(a.channelMetadata))
	mux.Handle("GET /Client/v2/Conversations/{conversation}/MessageRecipients", a.handle(a.messageRecipients))
}

// tokens are the SDK's paging tokens, null when there is no such page.
type tokens struct {
	PreviousToken *string `json:"previous_token"`
	NextToken     *string `json:"next_token"`
}

// contentTemplates answers the rich content templates: Parley has no
// Content API, so the list is empty.
func (a *API) contentTemplates(w http.ResponseWriter, r *http.Request, c *parley.Caller) error {
	twilioapi.WriteJSON(w, http.StatusOK, struct {
		Templates []struct{} `json:"templates"`
		Meta      tokens     `json:"meta"`
	}{Templates: []struct{}{}})
	return nil
}

// member checks that the caller takes part in the conversation: a user
// reads receipts and recipients of its own conversations only.
func (a *API) member(r *http.Request, c *parley.Caller) (*parley.Membership, error) {
	return a.app.UserConversation(r.Context(), c.ServiceSID, c.UserSID, r.PathValue("conversation"))
}

// receiptJSON is a detailed delivery receipt as the SDK reads it.
type receiptJSON struct {
	SID               string         `json:"sid"`
	MessageSID        string         `json:"message_sid"`
	ConversationSID   string         `json:"conversation_sid"`
	ChannelMessageSID *string        `json:"channel_message_sid"`
	ParticipantSID    string         `json:"participant_sid"`
	Status            string         `json:"status"`
	ErrorCode         int            `json:"error_code"`
	DateCreated       twilioapi.Time `json:"date_created"`
	DateUpdated       twilioapi.Time `json:"date_updated"`
}

// maxReceiptsPage is the spec's largest receipts page.
const maxReceiptsPage = 50

// receipts pages a message's delivery receipts; the token is the last
// receipt's position.
func (a *API) receipts(w http.ResponseWriter, r *http.Request, c *parley.Caller) error {
	m, err := a.member(r, c)
	if err != nil {
		return err
	}
	pr := parley.PageRequest{Size: maxReceiptsPage}
	q := r.URL.Query()
	if s, err := strconv.Atoi(q.Get("PageSize")); err == nil && s > 0 && s < maxReceiptsPage {
		pr.Size = s
	}
	if t := q.Get("PageToken"); t != "" {
		after, err := strconv.ParseInt(t, 10, 64)
		if err != nil {
			return parley.Errorf(parley.CodeInvalidParameter, "Invalid PageToken")
		}
		pr.After = &after
	}
	page, err := a.app.ListDeliveryReceipts(r.Context(), c.ServiceSID, m.Conversation.SID, r.PathValue("message"), pr)
	if err != nil {
		return err
	}
	out := struct {
		DeliveryReceipts []receiptJSON `json:"delivery_receipts"`
		Meta             tokens        `json:"meta"`
	}{DeliveryReceipts: []receiptJSON{}}
	for _, d := range page.Items {
		out.DeliveryReceipts = append(out.DeliveryReceipts, receiptJSON{SID: d.SID, MessageSID: d.MessageSID,
			ConversationSID: d.ConversationSID, ChannelMessageSID: d.ChannelMessageSID, ParticipantSID: d.ParticipantSID,
			Status: d.Status, ErrorCode: d.ErrorCode, DateCreated: twilioapi.NewTime(d.DateCreated), DateUpdated: twilioapi.NewTime(d.DateUpdated)})
	}
	if page.More && len(page.Items) > 0 {
		next := strconv.FormatInt(page.Items[len(page.Items)-1].Seq, 10)
		out.Meta.NextToken = &next
	}
	twilioapi.WriteJSON(w, http.StatusOK, out)
	return nil
}

// channelMetadata answers 404/50530: only messages that came in over a
// channel (email) have metadata, and Parley receives none yet.
func (a *API) channelMetadata(w http.ResponseWriter, r *http.Request, c *parley.Caller) error {
	m, err := a.member(r, c)
	if err != nil {
		return err
	}
	if _, err := a.app.Message(r.Context(), c.ServiceSID, m.Conversation.SID, r.PathValue("message")); err != nil {
		return err
	}
	twilioapi.WriteJSON(w, http.StatusNotFound, twilioapi.ErrorBody{Code: parley.CodeNoChannelMetadata, Status: http.StatusNotFound,
		Message: "The message has no channel metadata", MoreInfo: "https://www.twilio.com/docs/errors/50530"})
	return nil
}

// messageRecipients answers the email recipients of a conversation's
// messages: none, as Parley has no email channel yet.
func (a *API) messageRecipients(w http.ResponseWriter, r *http.Request, c *parley.Caller) error {
	if _, err := a.member(r, c); err != nil {
		return err
	}
	twilioapi.WriteJSON(w, http.StatusOK, struct {
		MessageRecipients []struct{} `json:"message_recipients"`
		Meta              tokens     `json:"meta"`
	}{MessageRecipients: []struct{}{}})
	return nil
}
