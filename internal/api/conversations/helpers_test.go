package conversations_test

import (
	"net/url"
	"testing"
)

// pageToken pulls PageToken and Page out of a next_page_url.
func pageToken(t *testing.T, next string) (token, page string) {
	t.Helper()
	u, err := url.Parse(next)
	if err != nil {
		t.Fatal(err)
	}
	return u.Query().Get("PageToken"), u.Query().Get("Page")
}
