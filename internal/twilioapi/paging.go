package twilioapi

import (
	"net/http"
	"strconv"
	"strings"

	parley "github.com/parley-dev/parley"
)

// DefaultPageSize is Twilio's page size when PageSize is not sent.
const DefaultPageSize = 50

// Page tokens are keyset cursors: "PA<key>" reads the page after a key,
// "PB<key>" the page before it. A page costs the same at any depth.
const (
	tokenAfter  = "PA"
	tokenBefore = "PB"
)

// Paging is a list request's page: the store request plus the page number,
// which Twilio echoes in meta but which never drives the query.
type Paging struct {
	Request parley.PageRequest
	Number  int
}

// ParsePaging reads PageSize, Page and PageToken. PageSize is clamped to
// maxSize (Twilio's limit for the resource).
func ParsePaging(p *Params, maxSize int) (Paging, error) {
	pg := Paging{Request: parley.PageRequest{Size: DefaultPageSize}}
	if n := p.Int("PageSize"); n != nil {
		if *n < 1 {
			return pg, parley.Errorf(parley.CodeInvalidParameter, "PageSize must be at least 1")
		}
		pg.Request.Size = int(min(*n, int64(maxSize)))
	}
	pg.Request.Size = min(pg.Request.Size, maxSize)
	if n := p.Int("Page"); n != nil {
		if *n < 0 {
			return pg, parley.Errorf(parley.CodeInvalidParameter, "Page must not be negative")
		}
		pg.Number = int(*n)
	}
	if err := p.Err(); err != nil {
		return pg, err
	}
	// Page "is simply for client state" (the spec): it is echoed in meta and
	// never drives the query; the keyset PageToken does.
	token := p.String("PageToken")
	if token == nil || *token == "" {
		return pg, nil
	}
	key, after, ok := parseToken(*token)
	if !ok {
		return pg, parley.Errorf(parley.CodeInvalidParameter, "Invalid PageToken %q", *token)
	}
	if after {
		pg.Request.After = &key
	} else {
		pg.Request.Before = &key
	}
	return pg, nil
}

func parseToken(s string) (key int64, after, ok bool) {
	if len(s) < 3 || (!strings.HasPrefix(s, tokenAfter) && !strings.HasPrefix(s, tokenBefore)) {
		return 0, false, false
	}
	key, err := strconv.ParseInt(s[2:], 10, 64)
	return key, strings.HasPrefix(s, tokenAfter), err == nil
}

// Meta is the "meta" object of every Twilio list response.
type Meta struct {
	Page            int     `json:"page"`
	PageSize        int     `json:"page_size"`
	FirstPageURL    string  `json:"first_page_url"`
	PreviousPageURL *string `json:"previous_page_url"`
	URL             string  `json:"url"`
	NextPageURL     *string `json:"next_page_url"`
	Key             string  `json:"key"`
}

// Meta builds the list metadata. keys are the keyset keys of the page's
// items in order; more is what the store reported.
func (pg Paging) Meta(r *http.Request, base, key string, keys []int64, more bool) Meta {
	filters := filterQuery(r)
	link := func(page int, token string) string {
		q := filters + "PageSize=" + strconv.Itoa(pg.Request.Size) + "&Page=" + strconv.Itoa(page)
		if token != "" {
			q += "&PageToken=" + token
		}
		return base + r.URL.Path + "?" + q
	}
	current := ""
	if tok := r.URL.Query().Get("PageToken"); tok != "" {
		current = tok
	}
	m := Meta{Page: pg.Number, PageSize: pg.Request.Size, FirstPageURL: link(0, ""),
		URL: link(pg.Number, current), Key: key}
	backward := pg.Request.Before != nil
	if len(keys) > 0 && (more && !backward || backward) {
		next := link(pg.Number+1, tokenAfter+strconv.FormatInt(keys[len(keys)-1], 10))
		m.NextPageURL = &next
	}
	if len(keys) > 0 && (backward && more || !backward && pg.Number > 0) {
		prev := link(max(pg.Number-1, 0), tokenBefore+strconv.FormatInt(keys[0], 10))
		m.PreviousPageURL = &prev
	}
	return m
}

// filterQuery re-encodes the request's query parameters other than the paging
// ones, so page links keep the list's filters.
func filterQuery(r *http.Request) string {
	q := r.URL.Query()
	for _, k := range []string{"PageSize", "Page", "PageToken"} {
		q.Del(k)
	}
	if len(q) == 0 {
		return ""
	}
	return q.Encode() + "&"
}
