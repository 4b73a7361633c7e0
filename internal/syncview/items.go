package syncview

import (
	"encoding/base64"
	"encoding/json"
	"net/http"
	"slices"
	"strconv"
	"time"

	parley "github.com/parley-dev/parley"
	"github.com/parley-dev/parley/internal/twilioapi"
)

const (
	defaultPageSize = 50
	maxPageSize     = 1000
)

// query is an item query (reference §3.2): one item by Key or Index, or a
// page from From (inclusive; exclusive when it came from a page token) in
// Order.
type query struct {
	key       *string
	index     *int64
	from      *string
	exclusive bool
	desc      bool
	size      int
}

// result is one page of items and whether items exist before its start
// (previous) and after its end (next), in traversal order.
type result struct {
	items      []item
	prev, next bool
	updated    time.Time // the newest item's date_updated
}

// pageToken is what next_token and previous_token encode: where the page
// starts (exclusive) and in which order.
type pageToken struct {
	From string `json:"f"`
	Desc bool   `json:"d,omitempty"`
}

func (t pageToken) String() string {
	b, _ := json.Marshal(t)
	return base64.RawURLEncoding.EncodeToString(b)
}

// parseQuery reads the item query parameters. HideExpired is accepted and
// moot: projections never expire.
func parseQuery(r *http.Request, o object) (query, error) {
	v := r.URL.Query()
	q := query{size: defaultPageSize, desc: v.Get("Order") == "desc"}
	bad := func(name string) error {
		return parley.Errorf(parley.CodeInvalidParameter, "Invalid %s", name)
	}
	if o := v.Get("Order"); o != "" && o != "asc" && o != "desc" {
		return q, bad("Order")
	}
	if s := v.Get("PageSize"); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil || n < 1 || n > maxPageSize {
			return q, bad("PageSize")
		}
		q.size = n
	}
	if v.Has("Key") {
		k := v.Get("Key")
		q.key = &k
	}
	if v.Has("Index") {
		n, err := strconv.ParseInt(v.Get("Index"), 10, 64)
		if err != nil || n < 0 {
			return q, &syncError{http.StatusBadRequest, parley.CodeInvalidListItemIndex, "Invalid List Item index"}
		}
		q.index = &n
	}
	if v.Has("From") {
		f := v.Get("From")
		q.from = &f
	}
	if s := v.Get("PageToken"); s != "" {
		var t pageToken
		b, err := base64.RawURLEncoding.DecodeString(s)
		if err != nil || json.Unmarshal(b, &t) != nil {
			return q, bad("PageToken")
		}
		q.from, q.exclusive, q.desc = &t.From, true, t.Desc
	}
	if o.kind == kindMessages && q.from != nil {
		if n, err := strconv.ParseInt(*q.from, 10, 64); err != nil || n < 0 {
			return q, bad("From")
		}
	}
	return q, nil
}

type metaJSON struct {
	PreviousToken *string `json:"previous_token"`
	NextToken     *string `json:"next_token"`
}

type itemsJSON struct {
	Items []itemJSON `json:"items"`
	Meta  metaJSON   `json:"meta"`
}

// itemJSON is a map item (key) or list item (index).
type itemJSON struct {
	Key         *string        `json:"key,omitempty"`
	Index       *int64         `json:"index,omitempty"`
	URL         string         `json:"url"`
	Revision    string         `json:"revision"`
	LastEventID int64          `json:"last_event_id"`
	Data        any            `json:"data"`
	DateUpdated twilioapi.Time `json:"date_updated"`
	DateExpires *string        `json:"date_expires"`
}

// items answers GET .../Items. The SDK only checks whether each token is
// present; they also work as PageToken for any other client.
func (v *View) items(w http.ResponseWriter, r *http.Request, c *parley.Caller, o object) error {
	q, err := parseQuery(r, o)
	if err != nil {
		return err
	}
	last, err := v.lastEventID(r, o)
	if err != nil {
		return err
	}
	res, err := v.query(r, c, o, q)
	if err != nil {
		return err
	}
	out := itemsJSON{Items: v.render(r, o, last, res.items)}
	if out.Items == nil {
		out.Items = []itemJSON{}
	}
	if q.key == nil && q.index == nil {
		out.Meta = tokens(o, q, res)
	}
	twilioapi.WriteJSON(w, http.StatusOK, out)
	return nil
}

// tokens are the page's next_token (continue after its last item) and
// previous_token (the items before its first, in reverse order).
func tokens(o object, q query, res result) metaJSON {
	var m metaJSON
	n := len(res.items)
	if res.next && n > 0 {
		s := pageToken{From: res.items[n-1].id(o), Desc: q.desc}.String()
		m.NextToken = &s
	}
	if res.prev {
		t := pageToken{Desc: !q.desc}
		switch {
		case n > 0:
			t.From = res.items[0].id(o)
		case q.from != nil:
			t.From = *q.from
		}
		s := t.String()
		m.PreviousToken = &s
	}
	return m
}

// id is the item's key, or its index as text.
func (it item) id(o object) string {
	if o.kind == kindMessages {
		return strconv.FormatInt(it.index, 10)
	}
	return it.key
}

// Every item reports the object's last event ID as read before the items:
// an event after it changed an item later than the read, so the SDK
// applies it; an event at or before it is already in the item.
func (v *View) render(r *http.Request, o object, last int64, items []item) []itemJSON {
	out := make([]itemJSON, 0, len(items))
	for _, it := range items {
		j := itemJSON{URL: v.itemURL(r, o, it), Revision: "0", LastEventID: last, Data: it.data, DateUpdated: twilioapi.NewTime(it.updated)}
		if o.kind == kindMessages {
			j.Index = &it.index
		} else {
			j.Key = &it.key
		}
		out = append(out, j)
	}
	return out
}

// query runs an item query on any projection: maps are built whole and
// paged in memory (they are bounded by the per-user and per-conversation
// limits); the messages list pages in the store by index.
func (v *View) query(r *http.Request, c *parley.Caller, o object, q query) (result, error) {
	if err := v.authorize(r.Context(), c, o); err != nil {
		return result{}, err
	}
	if o.kind == kindMessages {
		return v.messages(r.Context(), c, o, q)
	}
	all, err := v.mapItems(r.Context(), c, o)
	if err != nil {
		return result{}, err
	}
	return pageMap(all, q), nil
}

// pageMap pages items sorted by key (byte order, as Sync orders map keys).
func pageMap(all []item, q query) result {
	var res result
	for _, it := range all {
		if it.updated.After(res.updated) {
			res.updated = it.updated
		}
	}
	if q.key != nil {
		if i, ok := slices.BinarySearchFunc(all, *q.key, func(it item, k string) int { return cmpString(it.key, k) }); ok {
			res.items = all[i : i+1]
		}
		return res
	}
	seq := all
	if q.desc {
		seq = slices.Clone(all)
		slices.Reverse(seq)
	}
	start := 0
	if q.from != nil {
		start = len(seq)
		for i, it := range seq {
			c := cmpString(it.key, *q.from)
			if q.desc {
				c = -c
			}
			if c > 0 || c == 0 && !q.exclusive {
				start = i
				break
			}
		}
	}
	end := min(start+q.size, len(seq))
	res.items, res.prev, res.next = seq[start:end], start > 0, end < len(seq)
	return res
}

func cmpString(a, b string) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

func parseIndex(s string) (int64, error) { return strconv.ParseInt(s, 10, 64) }
