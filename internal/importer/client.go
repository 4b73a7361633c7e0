// Package importer copies a Conversations account from a Twilio-compatible
// REST API (Twilio itself or another Parley) into a Parley store, keeping
// the source's SIDs, indexes and dates, and verifies the copy.
package importer

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync/atomic"
	"time"
)

// Source reads the REST APIs of one account: Conversations v1, and Chat v2
// and the 2010 API for what Conversations does not show.
type Source struct {
	// BaseURL is the Conversations API's root, e.g.
	// https://conversations.twilio.com.
	BaseURL string
	// ChatURL and AccountsURL are the roots of Chat (/v2 paths, e.g.
	// https://chat.twilio.com) and of the 2010 API (/2010-04-01 paths, e.g.
	// https://api.twilio.com); empty means BaseURL, as on a Parley.
	ChatURL, AccountsURL string
	// Username and Password authenticate every request: an account SID and
	// auth token, or an API key SID and secret.
	Username, Password string
	HTTP               *http.Client
	// Logf, when set, receives one line per back-off.
	Logf func(format string, args ...any)
	// PageSize is the records asked per page; 0 means Twilio's maximum, 100.
	PageSize int
	// MaxRetries bounds the retries of one request on 429 and 5xx.
	MaxRetries int

	pages, retries atomic.Int64
}

// maxBackoff caps one wait, whatever Retry-After says, so a misbehaving
// proxy cannot park the import for hours.
const maxBackoff = 60 * time.Second

// Get fetches path (or an absolute next_page_url) into v, waiting out 429s:
// Twilio answers 429 with Retry-After when a caller goes too fast
// (https://www.twilio.com/docs/usage/rest-api-best-practices#handle-429-errors).
func (s *Source) Get(ctx context.Context, path string, v any) error {
	u := path
	if !strings.HasPrefix(path, "http://") && !strings.HasPrefix(path, "https://") {
		u = strings.TrimRight(s.root(path), "/") + path
	}
	wait := time.Second
	for attempt := 0; ; attempt++ {
		req, err := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
		if err != nil {
			return err
		}
		req.SetBasicAuth(s.Username, s.Password)
		resp, err := s.client().Do(req)
		if err != nil {
			return err
		}
		body, err := io.ReadAll(io.LimitReader(resp.Body, 64<<20))
		resp.Body.Close()
		if err != nil {
			return err
		}
		retryable := resp.StatusCode == http.StatusTooManyRequests || resp.StatusCode >= 500
		if retryable && attempt < s.MaxRetries {
			d := retryAfter(resp.Header.Get("Retry-After"), wait)
			if s.Logf != nil {
				s.Logf("source answered %d on GET %s; retrying in %s", resp.StatusCode, path, d)
			}
			select {
			case <-ctx.Done():
				return ctx.Err()
			case <-time.After(d):
			}
			s.retries.Add(1)
			wait = min(wait*2, maxBackoff)
			continue
		}
		if resp.StatusCode != http.StatusOK {
			return &SourceError{Status: resp.StatusCode, Path: path, Body: string(body)}
		}
		return json.Unmarshal(body, v)
	}
}

// retryAfter reads a Retry-After header (seconds or an HTTP date), falling
// back to def, and caps the wait at maxBackoff.
func retryAfter(h string, def time.Duration) time.Duration {
	d := def
	if n, err := strconv.Atoi(strings.TrimSpace(h)); err == nil && n >= 0 {
		d = time.Duration(n) * time.Second
	} else if t, err := http.ParseTime(h); err == nil {
		d = time.Until(t)
	}
	return max(0, min(d, maxBackoff))
}

// root is the API root a path belongs to.
func (s *Source) root(path string) string {
	switch {
	case strings.HasPrefix(path, "/v2/") && s.ChatURL != "":
		return s.ChatURL
	case strings.HasPrefix(path, "/2010-04-01/") && s.AccountsURL != "":
		return s.AccountsURL
	}
	return s.BaseURL
}

func (s *Source) client() *http.Client {
	if s.HTTP != nil {
		return s.HTTP
	}
	return http.DefaultClient
}

// SourceError is a non-200 answer of the source.
type SourceError struct {
	Status int
	Path   string
	Body   string
}

func (e *SourceError) Error() string {
	return fmt.Sprintf("source: GET %s: %d %s", e.Path, e.Status, strings.TrimSpace(e.Body))
}

// pageMeta is the paging block of every Twilio v1 list.
type pageMeta struct {
	Meta struct {
		NextPageURL *string `json:"next_page_url"`
		Key         string  `json:"key"`
	} `json:"meta"`
}

// List pages through a list resource, following meta.next_page_url, and
// calls fn with each page's records (decoded into T).
func List[T any](ctx context.Context, s *Source, path string, fn func(page []T) error) error {
	size := s.PageSize
	if size <= 0 {
		size = pageSize
	}
	sep := "?"
	if strings.Contains(path, "?") {
		sep = "&"
	}
	next := path + sep + "PageSize=" + strconv.Itoa(size)
	for next != "" {
		var raw map[string]json.RawMessage
		if err := s.Get(ctx, next, &raw); err != nil {
			return err
		}
		var meta pageMeta
		if err := json.Unmarshal(raw["meta"], &meta.Meta); err != nil {
			return fmt.Errorf("source: GET %s: no paging meta: %w", next, err)
		}
		var items []T
		if err := json.Unmarshal(raw[meta.Meta.Key], &items); err != nil {
			return fmt.Errorf("source: GET %s: %s: %w", next, meta.Meta.Key, err)
		}
		s.pages.Add(1)
		if err := fn(items); err != nil {
			return err
		}
		next = ""
		if meta.Meta.NextPageURL != nil {
			next = relative(*meta.Meta.NextPageURL)
		}
	}
	return nil
}

// relative keeps a page link's path and query: the next page is asked of
// the same --from root, even when the source renders links under another
// host (a Parley behind a proxy, or with a public URL of Twilio's).
func relative(link string) string {
	u, err := url.Parse(link)
	if err != nil || !u.IsAbs() {
		return link
	}
	return u.RequestURI()
}

// pageSize is Twilio's maximum for Conversations lists.
const pageSize = 100

// pathf builds a path from a format and escaped SIDs.
func pathf(format string, sids ...string) string {
	args := make([]any, len(sids))
	for i, s := range sids {
		args[i] = url.PathEscape(s)
	}
	return fmt.Sprintf(format, args...)
}
