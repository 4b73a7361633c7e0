package twilioapi

import (
	"net/http"
	"time"
)

// The 2010 API (/2010-04-01, Accounts and Keys) has conventions of its own:
// RFC 2822 dates, relative "uri" links and page metadata at the top level
// of a list instead of in "meta".

// Time2010 renders as the 2010 API does: RFC 2822 in GMT, e.g.
// "Mon, 30 Nov 2026 01:49:02 +0000".
type Time2010 struct{ time.Time }

// MarshalJSON implements json.Marshaler.
func (t Time2010) MarshalJSON() ([]byte, error) {
	return []byte(`"` + t.UTC().Format("Mon, 02 Jan 2006 15:04:05 -0700") + `"`), nil
}

// NewTime2010 wraps t for 2010 rendering.
func NewTime2010(t time.Time) Time2010 { return Time2010{t} }

// Meta2010 is the paging part of a 2010 list, at the top level of the body.
type Meta2010 struct {
	URI             string  `json:"uri"`
	FirstPageURI    string  `json:"first_page_uri"`
	NextPageURI     *string `json:"next_page_uri"`
	PreviousPageURI *string `json:"previous_page_uri"`
	Page            int     `json:"page"`
	PageSize        int     `json:"page_size"`
	Start           int     `json:"start"`
	End             int     `json:"end"`
}

// Meta2010 builds a 2010 list's paging fields: the same keyset page
// tokens as every other surface, as URIs relative to the host, with start
// and end the positions of the page's first and last item.
func (pg Paging) Meta2010(r *http.Request, keys []int64, more bool) Meta2010 {
	// Meta gives absolute URLs; the 2010 API's links are relative.
	m := pg.Meta(r, "", "", keys, more)
	start := pg.Number * pg.Request.Size
	end := start
	if len(keys) > 0 {
		end = start + len(keys) - 1
	}
	return Meta2010{URI: m.URL, FirstPageURI: m.FirstPageURL, NextPageURI: m.NextPageURL, PreviousPageURI: m.PreviousPageURL,
		Page: pg.Number, PageSize: pg.Request.Size, Start: start, End: end}
}

// WriteList2010 writes one page of a 2010 list: the items mapped with
// render under key, beside the paging fields.
func WriteList2010[T, W any](w http.ResponseWriter, r *http.Request, pg Paging, key string, items []T, more bool, keyOf func(T) int64, render func(T) W) {
	out := make([]W, len(items))
	keys := make([]int64, len(items))
	for i, it := range items {
		out[i], keys[i] = render(it), keyOf(it)
	}
	m := pg.Meta2010(r, keys, more)
	WriteJSON(w, http.StatusOK, map[string]any{key: out, "uri": m.URI, "first_page_uri": m.FirstPageURI,
		"next_page_uri": m.NextPageURI, "previous_page_uri": m.PreviousPageURI, "page": m.Page, "page_size": m.PageSize,
		"start": m.Start, "end": m.End})
}
