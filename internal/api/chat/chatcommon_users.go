package chat

import (
	"net/http"

	"github.com/parley-dev/parley/internal/twilioapi"
)

// Helpers shared by the Chat users, user channels, bindings, roles and
// credentials handlers.

// maxDeliveryPageSize is the Chat spec's PageSize maximum for bindings,
// user bindings and user channels.
const maxDeliveryPageSize = 50

// serviceOf is the service a /v2/Services/{ServiceSid}/... request addresses.
func serviceOf(r *http.Request) string { return r.PathValue("ServiceSid") }

// serviceURL is the absolute URL of the request's service.
func (a *API) serviceURL(r *http.Request) string { return a.base(r) + "/Services/" + serviceOf(r) }

// parsePaged decodes a list request's parameters and its paging, PageSize
// capped at maxSize.
func parsePaged(w http.ResponseWriter, r *http.Request, maxSize int) (*twilioapi.Params, twilioapi.Paging, error) {
	p, err := twilioapi.ParseParams(w, r)
	if err != nil {
		return nil, twilioapi.Paging{}, err
	}
	pg, err := twilioapi.ParsePaging(p, maxSize)
	return p, pg, err
}

// renderPage writes one page of a list: items mapped with render under key,
// and meta whose page tokens come from each item's keyset key.
func renderPage[T any, W any](a *API, w http.ResponseWriter, r *http.Request, pg twilioapi.Paging, key string, items []T, more bool, keyOf func(T) int64, render func(T) W) {
	out := make([]W, len(items))
	keys := make([]int64, len(items))
	for i, it := range items {
		out[i], keys[i] = render(it), keyOf(it)
	}
	meta := pg.Meta(r, twilioapi.BaseURL(r, a.publicURL), key, keys, more)
	twilioapi.WriteJSON(w, http.StatusOK, map[string]any{key: out, "meta": meta})
}

// respondNoContent answers a successful delete.
func respondNoContent(w http.ResponseWriter) error {
	w.WriteHeader(http.StatusNoContent)
	return nil
}
