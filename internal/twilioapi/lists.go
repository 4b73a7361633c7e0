package twilioapi

import (
	"net/http"

	parley "github.com/parley-dev/parley"
)

// ParseList decodes a list request's parameters and its paging, PageSize
// capped at maxSize (the spec's maximum for the resource).
func ParseList(w http.ResponseWriter, r *http.Request, maxSize int) (*Params, Paging, error) {
	p, err := ParseParams(w, r)
	if err != nil {
		return nil, Paging{}, err
	}
	pg, err := ParsePaging(p, maxSize)
	return p, pg, err
}

// WriteList writes one page of a list: the items mapped with render under
// key, and meta whose page tokens come from each item's keyset key.
func WriteList[T, W any](w http.ResponseWriter, r *http.Request, publicURL string, pg Paging, key string, items []T, more bool, keyOf func(T) int64, render func(T) W) {
	out := make([]W, len(items))
	keys := make([]int64, len(items))
	for i, it := range items {
		out[i], keys[i] = render(it), keyOf(it)
	}
	meta := pg.Meta(r, BaseURL(r, publicURL), key, keys, more)
	WriteJSON(w, http.StatusOK, map[string]any{key: out, "meta": meta})
}

// ReplyList ends a list handler, as Reply ends the others: it returns err,
// or writes the page with WriteList.
func ReplyList[T, W any](w http.ResponseWriter, r *http.Request, publicURL string, pg Paging, key string, page parley.Page[T], err error, keyOf func(T) int64, render func(T) W) error {
	if err != nil {
		return err
	}
	WriteList(w, r, publicURL, pg, key, page.Items, page.More, keyOf, render)
	return nil
}

// NoContent ends a delete handler: it returns err, or answers 204.
func NoContent(w http.ResponseWriter, err error) error {
	if err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}
