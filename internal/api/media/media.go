// Package media serves uploaded media the way Twilio's Media Content
// Service (MCS) does, over plain HTTP: the client SDKs upload and fetch
// media here directly (reference: twilsock-protocol.md §5), never over
// twilsock. A caller is a client SDK user (its access token in the
// X-Twilio-Token header) or an account (HTTP Basic, as in Twilio's "media
// via REST" flow); a temporary content link carries its own signature.
// Browsers reach it cross-origin, so every answer carries CORS headers and
// preflights are answered without credentials.
package media

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/url"

	parley "github.com/parley-dev/parley"
	"github.com/parley-dev/parley/internal/core"
	"github.com/parley-dev/parley/internal/twilioapi"
)

// Prefix is where the media service is served: Twilio's own paths
// (/v1/Services/{IS}/Media on the mcs host) under a prefix, as their
// /v1/Services would collide with Conversations'.
const Prefix = "/mcs/v1"

// API is the media service over the domain.
type API struct {
	app       *core.App
	publicURL string
}

// New returns the media service.
func New(app *core.App, publicURL string) *API {
	return &API{app: app, publicURL: publicURL}
}

// Handler routes the media service's requests.
func (a *API) Handler() http.Handler {
	mux := http.NewServeMux()
	mux.Handle("POST "+Prefix+"/Services/{ServiceSid}/Media", a.authed(a.upload))
	mux.Handle("GET "+Prefix+"/Services/{ServiceSid}/Media/{Sid}", a.authed(a.fetch))
	mux.Handle("GET "+Prefix+"/Services/{ServiceSid}/Media/{Sid}/Content", twilioapi.HandlerFunc(a.content))
	mux.Handle("POST "+Prefix+"/Services/{ServiceSid}/MediaSet", a.authed(a.mediaSet))
	mux.Handle("OPTIONS "+Prefix+"/", http.HandlerFunc(preflight))
	mux.Handle(Prefix+"/", twilioapi.HandlerFunc(twilioapi.NotFound))
	return cors(mux)
}

// cors lets browser pages on any origin call the media service: the
// credential is a header the page sets, never a cookie, so no origin gains
// anything another would not.
func cors(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h.Set("Access-Control-Allow-Origin", "*")
		h.Set("Access-Control-Expose-Headers", "Content-Length, Content-Type, Content-Disposition, Twilio-Request-Id")
		next.ServeHTTP(w, r)
	})
}

// preflight answers a browser's CORS preflight: the SDK's X-Twilio-Token
// header and a media Content-Type make every upload preflighted.
func preflight(w http.ResponseWriter, r *http.Request) {
	h := w.Header()
	h.Set("Access-Control-Allow-Methods", "GET, POST, OPTIONS")
	h.Set("Access-Control-Allow-Headers", "X-Twilio-Token, Content-Type, Authorization")
	h.Set("Access-Control-Max-Age", "600")
	w.WriteHeader(http.StatusNoContent)
}

// caller is who a media request acts as beside its account, which travels
// in the request's context.
type caller struct {
	identity string // "" for account credentials
}

// authed authenticates a request by access token or Basic credentials.
// A token's service must be the path's: a user sees no other service.
func (a *API) authed(fn func(w http.ResponseWriter, r *http.Request, c caller) error) http.Handler {
	return twilioapi.HandlerFunc(func(w http.ResponseWriter, r *http.Request) error {
		r, c, err := a.authenticate(r)
		if err != nil {
			return err
		}
		return fn(w, r, c)
	})
}

// authenticate returns r acting for the credentials' account (with the
// account's authority: media checks the identity itself) and the caller.
func (a *API) authenticate(r *http.Request) (*http.Request, caller, error) {
	ctx := r.Context()
	if token := r.Header.Get("X-Twilio-Token"); token != "" {
		p, err := a.app.VerifyToken(ctx, token)
		if err != nil {
			return r, caller{}, err
		}
		if p.ServiceSID != r.PathValue("ServiceSid") {
			return r, caller{}, parley.NotFound("Service", r.PathValue("ServiceSid"))
		}
		return r.WithContext(parley.WithAccount(ctx, p.Account)), caller{identity: p.Identity}, nil
	}
	user, pass, ok := r.BasicAuth()
	if !ok {
		return r, caller{}, parley.Errorf(parley.CodeAuthFailed, "Authenticate")
	}
	p, err := a.app.Authenticate(ctx, user, pass)
	if err != nil {
		return r, caller{}, err
	}
	return r.WithContext(parley.WithAccount(ctx, p.Account)), caller{}, nil
}

// recordJSON is a media record as MCS renders it; links.content needs the
// caller's credentials, links.content_direct_temporary is a signed link
// that works without any for core.MediaURLLifetime.
type recordJSON struct {
	SID                 string            `json:"sid"`
	AccountSID          string            `json:"account_sid"`
	ServiceSID          string            `json:"service_sid"`
	ChannelSID          *string           `json:"channel_sid"`
	MessageSID          *string           `json:"message_sid"`
	DateCreated         twilioapi.Time    `json:"date_created"`
	DateUploadUpdated   twilioapi.Time    `json:"date_upload_updated"`
	DateUpdated         twilioapi.Time    `json:"date_updated"`
	Size                int64             `json:"size"`
	ContentType         string            `json:"content_type"`
	Filename            *string           `json:"filename"`
	Category            string            `json:"category"`
	Author              string            `json:"author"`
	IsMultipartUpstream bool              `json:"is_multipart_upstream"`
	URL                 string            `json:"url"`
	Links               map[string]string `json:"links"`
}

func (a *API) render(ctx context.Context, r *http.Request, m *parley.Media) (recordJSON, error) {
	self := twilioapi.BaseURL(r, a.publicURL) + Prefix + "/Services/" + m.ServiceSID + "/Media/" + m.SID
	expires, sig, err := a.app.SignMedia(ctx, m)
	direct := core.MediaContentURL(twilioapi.BaseURL(r, a.publicURL)+Prefix, m.ServiceSID, m.SID, expires, sig)
	return recordJSON{SID: m.SID, AccountSID: m.AccountSID, ServiceSID: m.ServiceSID, ChannelSID: m.ConversationSID,
		MessageSID: m.MessageSID, DateCreated: twilioapi.NewTime(m.DateCreated), DateUploadUpdated: twilioapi.NewTime(m.DateCreated),
		DateUpdated: twilioapi.NewTime(m.DateUpdated), Size: m.Size, ContentType: m.ContentType, Filename: m.Filename,
		Category: m.Category, Author: m.Author, URL: self,
		Links: map[string]string{"content": self + "/Content", "content_direct_temporary": direct}}, err
}

// upload stores the request body as a new media file: the SDK posts the
// raw bytes with their type as Content-Type, the category and file name
// in the query.
func (a *API) upload(w http.ResponseWriter, r *http.Request, c caller) error {
	if r.ContentLength > parley.MaxMediaBytes {
		return parley.Errorf(parley.CodeMediaTooLarge, "Media must not exceed %d MB", parley.MediaSizeLimitMB)
	}
	q := r.URL.Query()
	u := core.MediaUpload{ContentType: r.Header.Get("Content-Type"), Category: q.Get("Category"), Body: r.Body}
	if name := q.Get("Filename"); name != "" {
		u.Filename = &name
	}
	m, err := a.app.UploadMedia(r.Context(), r.PathValue("ServiceSid"), c.identity, u)
	if err != nil {
		return err
	}
	out, err := a.render(r.Context(), r, m)
	return twilioapi.Reply(w, http.StatusCreated, err, func() any { return out })
}

func (a *API) fetch(w http.ResponseWriter, r *http.Request, c caller) error {
	m, err := a.app.Media(r.Context(), r.PathValue("ServiceSid"), c.identity, r.PathValue("Sid"))
	if err != nil {
		return err
	}
	out, err := a.render(r.Context(), r, m)
	return twilioapi.Reply(w, http.StatusOK, err, func() any { return out })
}

// content sends the file: through a temporary link (Expires and
// Signature in the query), or to an authenticated caller.
func (a *API) content(w http.ResponseWriter, r *http.Request) error {
	q := r.URL.Query()
	var (
		m    *parley.Media
		body io.ReadSeekCloser
		err  error
	)
	if q.Has("Signature") {
		m, body, err = a.app.OpenSignedMedia(r.Context(), r.PathValue("ServiceSid"), r.PathValue("Sid"), q.Get("Expires"), q.Get("Signature"))
	} else {
		var c caller
		if r, c, err = a.authenticate(r); err == nil {
			m, body, err = a.app.OpenMedia(r.Context(), r.PathValue("ServiceSid"), c.identity, r.PathValue("Sid"))
		}
	}
	if err != nil {
		return err
	}
	defer body.Close()
	w.Header().Set("Content-Type", m.ContentType)
	if m.Filename != nil {
		w.Header().Set("Content-Disposition", "inline; filename*=UTF-8''"+url.PathEscape(*m.Filename))
	}
	http.ServeContent(w, r, "", m.DateCreated, body)
	return nil
}

// maxMediaSet bounds one media-set request (Parley's own bound; a message
// carries at most parley.MaxMediaPerMessage files).
const maxMediaSet = 100

type mediaSetRequest struct {
	Command string `json:"command"`
	List    []struct {
		MediaSID string `json:"media_sid"`
	} `json:"list"`
}

type mediaSetItem struct {
	Code        int `json:"code"`
	MediaRecord any `json:"media_record"`
}

// mediaSet answers the SDK's batch lookup, one item per requested SID in
// order: 200 with the record, or 404 with the SID alone.
func (a *API) mediaSet(w http.ResponseWriter, r *http.Request, c caller) error {
	var req mediaSetRequest
	if err := json.NewDecoder(io.LimitReader(r.Body, 1<<20)).Decode(&req); err != nil || req.Command != "get" {
		return parley.Errorf(parley.CodeInvalidParameter, `The body must be {"command":"get","list":[{"media_sid":"ME…"}]}`)
	}
	if len(req.List) > maxMediaSet {
		return parley.Errorf(parley.CodeInvalidParameter, "At most %d media per request", maxMediaSet)
	}
	out := make([]mediaSetItem, 0, len(req.List))
	for _, item := range req.List {
		m, err := a.app.Media(r.Context(), r.PathValue("ServiceSid"), c.identity, item.MediaSID)
		if parley.IsNotFound(err) {
			out = append(out, mediaSetItem{Code: http.StatusNotFound, MediaRecord: map[string]string{"sid": item.MediaSID}})
			continue
		}
		if err != nil {
			return err
		}
		rec, err := a.render(r.Context(), r, m)
		if err != nil {
			return err
		}
		out = append(out, mediaSetItem{Code: http.StatusOK, MediaRecord: rec})
	}
	twilioapi.WriteJSON(w, http.StatusOK, out)
	return nil
}
