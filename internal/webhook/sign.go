package webhook

import (
	"crypto/hmac"
	"crypto/sha1"
	"encoding/base64"
	"net/url"
	"sort"
	"strings"
)

// Signature is the X-Twilio-Signature of a request to rawURL carrying the
// POST form params (nil for GET, whose params are already in rawURL):
// base64(HMAC-SHA1(authToken, URL + each name+value, sorted by name, then
// value)), as Twilio computes it and its helper libraries verify it.
func Signature(authToken, rawURL string, form url.Values) string {
	var b strings.Builder
	b.WriteString(rawURL)
	names := make([]string, 0, len(form))
	for name := range form {
		names = append(names, name)
	}
	sort.Strings(names)
	for _, name := range names {
		values := append([]string(nil), form[name]...)
		sort.Strings(values)
		for _, v := range values {
			b.WriteString(name)
			b.WriteString(v)
		}
	}
	mac := hmac.New(sha1.New, []byte(authToken))
	mac.Write([]byte(b.String()))
	return base64.StdEncoding.EncodeToString(mac.Sum(nil))
}

// withQuery is rawURL with params added to its query string (GET hooks).
func withQuery(rawURL string, params url.Values) string {
	if len(params) == 0 {
		return rawURL
	}
	sep := "?"
	if strings.Contains(rawURL, "?") {
		sep = "&"
	}
	return rawURL + sep + params.Encode()
}
