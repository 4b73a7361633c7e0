// Package syncview is the virtual Sync service the official Conversations
// client SDK reads: five read-only projections of domain rows (a user's
// info map and conversations map; a conversation's document, participants
// map and messages list), their descriptors, item queries and
// subscriptions. It answers the upstream requests that arrive over
// twilsock; the caller is the token's identity in the request context.
//
// Event ids: every object has its own gap-free sequence, assigned and
// logged by the store in the transaction of the domain change (the
// Projector renders the events); descriptors and items report the latest,
// subscriptions replay from the log and then go live through the Hub.
package syncview

import (
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"time"

	parley "github.com/parley-dev/parley"
	"github.com/parley-dev/parley/internal/core"
	"github.com/parley-dev/parley/internal/twilioapi"
)

// View serves the virtual Sync objects.
type View struct {
	app       *core.App
	publicURL string
	// hub delivers events live and replays them; nil serves every object
	// at event ID 0 with nothing to replay.
	hub *Hub
}

// New returns a View reading through app, with live events from hub
// (nil: none).
func New(app *core.App, publicURL string, hub *Hub) *View {
	return &View{app: app, publicURL: publicURL, hub: hub}
}

// lastEventID is the ID of the object's latest logged event. It is read
// before the object's data, so the data is at least that new.
func (v *View) lastEventID(r *http.Request, o object) (int64, error) {
	if v.hub == nil {
		return 0, nil
	}
	var last int64
	err := v.hub.store.Read(r.Context(), func(tx parley.Tx) (err error) {
		last, err = tx.LastSyncEventID(o.sid)
		return err
	})
	return last, err
}

// Register adds the Sync routes to mux: the fixed paths the Sync client
// builds (reference §2.1) under /v3 and /v4.
func (v *View) Register(mux *http.ServeMux) {
	mux.Handle("GET /v3/Maps/{id}", v.object("map", v.descriptor))
	mux.Handle("GET /v3/Maps/{id}/Items", v.object("map", v.items))
	mux.Handle("GET /v3/Lists/{id}", v.object("list", v.descriptor))
	mux.Handle("GET /v3/Lists/{id}/Items", v.object("list", v.items))
	mux.Handle("GET /v3/Documents/{id}", v.object("document", v.descriptor))
	mux.Handle("POST /v4/Subscriptions", handlerFunc(v.subscriptions))
}

// handlerFunc is a Sync handler that reports failure by returning an error.
type handlerFunc func(w http.ResponseWriter, r *http.Request) error

func (h handlerFunc) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if err := h(w, r); err != nil {
		writeError(w, r, err)
	}
}

// object resolves the caller and the Sync object the path names, then runs
// fn. Every read checks the caller may see the object.
func (v *View) object(typ string, fn func(w http.ResponseWriter, r *http.Request, c *parley.Caller, o object) error) http.Handler {
	return handlerFunc(func(w http.ResponseWriter, r *http.Request) error {
		c := parley.CallerFrom(r.Context())
		if c == nil {
			return &syncError{http.StatusUnauthorized, parley.CodeAuthFailed, "Sync objects are read over the client connection"}
		}
		o, ok := parse(typ, r.PathValue("id"))
		if !ok {
			return notFound(typ, r.PathValue("id"))
		}
		return fn(w, r, c, o)
	})
}

// syncError is an error with the HTTP status Sync answers it with; the SDK
// maps status and code into its SyncError.
type syncError struct {
	status, code int
	message      string
}

func (e *syncError) Error() string { return fmt.Sprintf("sync %d: %s", e.code, e.message) }

// notFound is Sync's not-found error for an object type:
// https://www.twilio.com/docs/api/errors/54100 (document),
// /54150 (list), /54200 (map).
func notFound(typ, sid string) *syncError {
	code, name := parley.CodeMapNotFound, "Map"
	switch typ {
	case "list":
		code, name = parley.CodeListNotFound, "List"
	case "document":
		code, name = parley.CodeDocumentNotFound, "Document"
	}
	return &syncError{http.StatusNotFound, code, fmt.Sprintf("%s not found: %s", name, sid)}
}

// forbidden refuses an object the identity may not read:
// https://www.twilio.com/docs/api/errors/54007.
func forbidden(sid string) *syncError {
	return &syncError{http.StatusForbidden, parley.CodeSyncForbidden, "Access forbidden for identity: " + sid}
}

func writeError(w http.ResponseWriter, r *http.Request, err error) {
	var se *syncError
	if !errors.As(err, &se) {
		twilioapi.WriteError(w, r, err)
		return
	}
	twilioapi.WriteJSON(w, se.status, twilioapi.ErrorBody{Code: se.code, Message: se.message,
		MoreInfo: fmt.Sprintf("https://www.twilio.com/docs/errors/%d", se.code), Status: se.status})
}

// descriptorJSON is a map, list or document descriptor (reference §3.1).
type descriptorJSON struct {
	SID         string            `json:"sid"`
	UniqueName  *string           `json:"unique_name"`
	URL         string            `json:"url"`
	Revision    string            `json:"revision"`
	LastEventID int64             `json:"last_event_id"`
	DateUpdated twilioapi.Time    `json:"date_updated"`
	DateExpires *string           `json:"date_expires"`
	Links       map[string]string `json:"links,omitempty"`
	Data        any               `json:"data,omitempty"`
	Items       []itemJSON        `json:"items,omitempty"`
}

// typePaths are the URL path segments of the Sync types.
var typePaths = map[kind]string{kindUserInfo: "Maps", kindMyConversations: "Maps", kindRoster: "Maps",
	kindMessages: "Lists", kindDocument: "Documents"}

func (v *View) objectURL(r *http.Request, o object) string {
	return twilioapi.BaseURL(r, v.publicURL) + "/v3/" + typePaths[o.kind] + "/" + o.sid
}

// descriptor answers GET /v3/{Maps,Lists,Documents}/{id}; a map read with
// Include=items carries its first page of items.
func (v *View) descriptor(w http.ResponseWriter, r *http.Request, c *parley.Caller, o object) error {
	u := v.objectURL(r, o)
	last, err := v.lastEventID(r, o)
	if err != nil {
		return err
	}
	d := descriptorJSON{SID: o.sid, URL: u, Revision: "0", LastEventID: last}
	if o.kind == kindDocument {
		data, updated, err := v.document(r, c, o)
		if err != nil {
			return err
		}
		d.Data, d.DateUpdated = data, twilioapi.NewTime(updated)
		twilioapi.WriteJSON(w, http.StatusOK, d)
		return nil
	}
	d.Links = map[string]string{"items": u + "/Items"}
	q := query{size: defaultPageSize}
	if o.kind == kindMessages {
		q = query{size: 1, desc: true} // the newest message dates the list
	}
	page, err := v.query(r, c, o, q)
	if err != nil {
		return err
	}
	d.DateUpdated = twilioapi.NewTime(page.updated)
	if o.kind != kindMessages && r.URL.Query().Get("Include") == "items" {
		d.Items = v.render(r, o, last, page.items)
	}
	twilioapi.WriteJSON(w, http.StatusOK, d)
	return nil
}

// itemURL is the URL of one item of an object.
func (v *View) itemURL(r *http.Request, o object, it item) string {
	base := v.objectURL(r, o) + "/Items/"
	if o.kind == kindMessages {
		return base + fmt.Sprint(it.index)
	}
	return base + url.PathEscape(it.key)
}

// item is one map or list item of a projection.
type item struct {
	key     string
	index   int64
	data    any
	updated time.Time
}
