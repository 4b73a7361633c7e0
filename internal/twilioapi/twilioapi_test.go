package twilioapi

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	parley "github.com/parley-dev/parley"
)

func paramsOf(t *testing.T, method, target, body string) *Params {
	t.Helper()
	r := httptest.NewRequest(method, target, strings.NewReader(body))
	if body != "" {
		r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	p, err := ParseParams(httptest.NewRecorder(), r)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

func TestParamsDottedRepeatedAndTyped(t *testing.T) {
	p := paramsOf(t, "POST", "/x?Q=1", "Timers.Inactive=PT5M&Filters=a&Filters=b&N=42&B=true&D=2015-12-16T22:18:37Z&Empty=")
	if got := p.String("Timers.Inactive"); got == nil || *got != "PT5M" {
		t.Errorf("dotted name = %v", got)
	}
	if got := p.Strings("Filters"); len(got) != 2 || got[1] != "b" {
		t.Errorf("repeated = %v", got)
	}
	if got := p.Int("N"); got == nil || *got != 42 {
		t.Errorf("int = %v", got)
	}
	if got := p.Bool("B"); got == nil || !*got {
		t.Errorf("bool = %v", got)
	}
	if got := p.Time("D"); got == nil || !got.Equal(time.Date(2015, 12, 16, 22, 18, 37, 0, time.UTC)) {
		t.Errorf("time = %v", got)
	}
	if got := p.String("Empty"); got == nil || *got != "" {
		t.Errorf("empty value = %v, want a pointer to \"\"", got)
	}
	if p.String("Missing") != nil || p.Has("Missing") {
		t.Errorf("missing parameter reported present")
	}
	if p.String("Q") == nil {
		t.Errorf("query parameter not read on POST")
	}
	if p.Err() != nil {
		t.Errorf("err = %v", p.Err())
	}
	p.Int("B")
	if got := parley.ErrorCode(p.Err()); got != parley.CodeInvalidParameter {
		t.Errorf("malformed int: code %d", got)
	}
}

func TestParseParamsRejectsHugeBodies(t *testing.T) {
	r := httptest.NewRequest("POST", "/x", strings.NewReader("Body="+strings.Repeat("a", maxBodyBytes+1)))
	r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	if _, err := ParseParams(httptest.NewRecorder(), r); parley.ErrorCode(err) != parley.CodeInvalidParameter {
		t.Errorf("huge body: %v", err)
	}
}

func TestPagingTokensRoundTrip(t *testing.T) {
	r := httptest.NewRequest("GET", "/v1/Conversations/CH1/Messages?Order=desc&PageSize=2&Page=1&PageToken=PA7", nil)
	pg, err := ParsePaging(paramsOf(t, "GET", r.URL.String(), ""), 100)
	if err != nil {
		t.Fatal(err)
	}
	if pg.Request.Size != 2 || pg.Number != 1 || pg.Request.After == nil || *pg.Request.After != 7 {
		t.Fatalf("paging = %+v", pg)
	}
	m := pg.Meta(r, "https://h", "messages", []int64{8, 9}, true)
	if m.NextPageURL == nil || *m.NextPageURL != "https://h/v1/Conversations/CH1/Messages?Order=desc&PageSize=2&Page=2&PageToken=PA9" {
		t.Errorf("next = %v", m.NextPageURL)
	}
	if m.PreviousPageURL == nil || *m.PreviousPageURL != "https://h/v1/Conversations/CH1/Messages?Order=desc&PageSize=2&Page=0&PageToken=PB8" {
		t.Errorf("previous = %v", m.PreviousPageURL)
	}
	if m.FirstPageURL != "https://h/v1/Conversations/CH1/Messages?Order=desc&PageSize=2&Page=0" {
		t.Errorf("first = %s", m.FirstPageURL)
	}
	last := pg.Meta(r, "https://h", "messages", []int64{8}, false)
	if last.NextPageURL != nil {
		t.Errorf("last page has a next page")
	}
	for _, bad := range []string{"PageSize=0", "PageToken=XX1", "PageToken=PAx", "Page=-1"} {
		if _, err := ParsePaging(paramsOf(t, "GET", "/x?"+bad, ""), 100); err == nil {
			t.Errorf("%s accepted", bad)
		}
	}
	big, _ := ParsePaging(paramsOf(t, "GET", "/x?PageSize=5000", ""), 100)
	if big.Request.Size != 100 {
		t.Errorf("PageSize 5000 -> %d, want the maximum 100", big.Request.Size)
	}
}

func TestTimeRendersTwilioStyle(t *testing.T) {
	b, _ := json.Marshal(struct {
		T Time
		N *Time
	}{NewTime(time.Date(2015, 12, 16, 23, 18, 37, 999, time.FixedZone("x", 3600))), nil})
	if got, want := string(b), `{"T":"2015-12-16T22:18:37Z","N":null}`; got != want {
		t.Errorf("got %s, want %s", got, want)
	}
}

func TestRecoverAnswersTwilioError(t *testing.T) {
	h := Recover(http.HandlerFunc(func(http.ResponseWriter, *http.Request) { panic("boom") }))
	w := httptest.NewRecorder()
	h.ServeHTTP(w, httptest.NewRequest("GET", "/", nil))
	var body ErrorBody
	if err := json.Unmarshal(w.Body.Bytes(), &body); err != nil || w.Code != 500 || body.Code != parley.CodeInternal || body.Status != 500 {
		t.Errorf("panic answered %d %s", w.Code, w.Body)
	}
	if strings.Contains(w.Body.String(), "boom") {
		t.Errorf("panic value leaked to the client")
	}
}

func TestBaseURL(t *testing.T) {
	r := httptest.NewRequest("GET", "http://example.com:8080/v1/x", nil)
	if got := BaseURL(r, ""); got != "http://example.com:8080" {
		t.Errorf("derived = %s", got)
	}
	r.Header.Set("X-Forwarded-Proto", "https")
	if got := BaseURL(r, ""); got != "https://example.com:8080" {
		t.Errorf("forwarded = %s", got)
	}
	if got := BaseURL(r, "https://conversations.twilio.com/"); got != "https://conversations.twilio.com" {
		t.Errorf("public = %s", got)
	}
}

func TestReply(t *testing.T) {
	w := httptest.NewRecorder()
	if err := Reply(w, http.StatusCreated, nil, func() any { return map[string]int{"n": 1} }); err != nil || w.Code != 201 || w.Body.String() != `{"n":1}` {
		t.Errorf("success: %v %d %s", err, w.Code, w.Body)
	}
	w = httptest.NewRecorder()
	fail := parley.Errorf(parley.CodeNotFound, "gone")
	if err := Reply(w, http.StatusOK, fail, func() any { panic("render must not run on error") }); err != fail || w.Body.Len() != 0 {
		t.Errorf("failure: %v %s", err, w.Body)
	}
}

func TestWriteListAndNoContent(t *testing.T) {
	r := httptest.NewRequest("GET", "http://h/v1/Things?PageSize=1", nil)
	w := httptest.NewRecorder()
	pg := Paging{Request: parley.PageRequest{Size: 1}}
	WriteList(w, r, "", pg, "things", []int{7, 8}, true, func(n int) int64 { return int64(n) }, func(n int) int { return n * 10 })
	var body struct {
		Things []int
		Meta   Meta
	}
	if err := json.Unmarshal(w.Body.Bytes(), &body); err != nil || len(body.Things) != 2 || body.Things[1] != 80 ||
		body.Meta.NextPageURL == nil || !strings.HasSuffix(*body.Meta.NextPageURL, "PageToken=PA8") {
		t.Errorf("list = %s", w.Body)
	}
	w = httptest.NewRecorder()
	if err := NoContent(w, nil); err != nil || w.Code != http.StatusNoContent {
		t.Errorf("no content: %v %d", err, w.Code)
	}
}
