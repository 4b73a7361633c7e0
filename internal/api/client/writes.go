package client

import (
	"context"
	"net/http"

	parley "github.com/parley-dev/parley"
	"github.com/parley-dev/parley/internal/twilioapi"
)

// registerWrites adds the routes of the SDK's writes (reference §2.3). Each
// calls the core operation REST calls, as the token's identity: core checks
// the identity's role permissions and stamps Source SDK on the events.
func (a *API) registerWrites(mux *http.ServeMux) {
	const conv = "/Client/v2/Conversations/{sid}"
	mux.Handle("POST /Client/v2/Conversations", a.handle(a.createConversation))
	mux.Handle("GET "+conv, a.handle(a.fetchConversation))
	mux.Handle("POST "+conv, a.handle(a.updateConversation))
	mux.Handle("DELETE "+conv, a.handle(a.deleteConversation))
	mux.Handle("POST "+conv+"/Participants", a.handle(a.addParticipant))
	mux.Handle("POST "+conv+"/Participants/{id}", a.handle(a.updateParticipant))
	mux.Handle("DELETE "+conv+"/Participants/{id}", a.handle(a.removeParticipant))
	mux.Handle("POST "+conv+"/Messages", a.handle(a.sendMessage))
	mux.Handle("POST "+conv+"/Messages/{msid}", a.handle(a.updateMessage))
	mux.Handle("DELETE "+conv+"/Messages/{msid}", a.handle(a.deleteMessage))
	mux.Handle("POST /Client/v2/Me/Conversations/{id}", a.handle(a.updateMyConversation))
	mux.Handle("POST /Client/v2/Users/{identity}", a.handle(a.updateUser))
}

// myConversationBody is what the read-horizon methods and
// setUserNotificationLevel send; a null index marks everything unread.
type myConversationBody struct {
	LastReadMessageIndex nullable[int64] `json:"last_read_message_index"`
	NotificationLevel    *string         `json:"notification_level"`
}

// updateMyConversation moves the caller's read horizon or notification
// level and answers the unread count the SDK resolves with.
func (a *API) updateMyConversation(w http.ResponseWriter, r *http.Request, c *parley.Caller) error {
	var b myConversationBody
	if err := decode(r, &b); err != nil {
		return err
	}
	if b.NotificationLevel == nil && b.LastReadMessageIndex.Set {
		return a.setReadHorizon(w, r, c, b.LastReadMessageIndex.Value)
	}
	f := parley.MembershipFields{NotificationLevel: b.NotificationLevel}
	if b.LastReadMessageIndex.Set {
		f.LastReadMessageIndex, f.ClearLastRead = b.LastReadMessageIndex.Value, b.LastReadMessageIndex.Value == nil
	}
	m, err := a.app.UpdateUserConversation(r.Context(), c.ServiceSID, c.UserSID, r.PathValue("id"), f)
	return twilioapi.Reply(w, http.StatusOK, err, func() any { return renderMyConversation(m) })
}

// userBody is what updateFriendlyName and updateAttributes send.
type userBody struct {
	FriendlyName *string `json:"friendly_name"`
	Attributes   *string `json:"attributes"`
}

func (a *API) updateUser(w http.ResponseWriter, r *http.Request, c *parley.Caller) error {
	var b userBody
	if err := decode(r, &b); err != nil {
		return err
	}
	u, err := a.app.UpdateUser(r.Context(), c.ServiceSID, r.PathValue("identity"),
		parley.UserFields{FriendlyName: b.FriendlyName, Attributes: b.Attributes})
	return twilioapi.Reply(w, http.StatusOK, err, func() any { return a.renderUser(r, u) })
}

// setReadHorizon is a read-horizon write through the coalescer
// (HorizonWindow): written now, or held and answered with the unread count
// it implies.
func (a *API) setReadHorizon(w http.ResponseWriter, r *http.Request, c *parley.Caller, index *int64) error {
	id := r.PathValue("id")
	key := c.Account.SID + "/" + c.UserSID + "/" + id
	log := twilioapi.Logger(r.Context())
	held := a.horizons.hold(key, index, func(index *int64) {
		ctx := parley.WithCaller(context.Background(), c)
		if _, err := a.app.SetReadHorizon(ctx, c.ServiceSID, c.UserSID, id, index); err != nil {
			log.Warn("client API: writing a held read horizon", "conversation", id, "identity", c.Identity, "err", err)
		}
	})
	var m *parley.Membership
	var err error
	if held {
		m, err = a.app.PreviewReadHorizon(r.Context(), c.ServiceSID, c.UserSID, id, index)
	} else {
		m, err = a.app.SetReadHorizon(r.Context(), c.ServiceSID, c.UserSID, id, index)
	}
	return twilioapi.Reply(w, http.StatusOK, err, func() any { return renderMyConversation(m) })
}
