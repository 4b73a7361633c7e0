package storetest

import (
	"encoding/json"
	"fmt"
	"testing"
	"time"

	parley "github.com/parley-dev/parley"
)

// zone is a non-UTC location: times written in it read back in UTC.
var zone = time.FixedZone("UTC+5:30", 5*3600+1800)

// stamp is a time n seconds after epoch with a sub-millisecond part the
// store drops, written in zone.
func stamp(n int) time.Time {
	return epoch.Add(time.Duration(n)*time.Second + 123456789*time.Nanosecond).In(zone)
}

// ms is t as the store gives it back: UTC, whole milliseconds.
func ms(t time.Time) time.Time { return t.Truncate(time.Millisecond).UTC() }

func msp(t time.Time) *time.Time { v := ms(t); return &v }

func timep(t time.Time) *time.Time { return &t }

func intp(n int64) *int64 { return &n }

func boolp(b bool) *bool { return &b }

// same compares got with want field by field through their JSON forms, which
// follow pointers, keep nil apart from empty slices, and print readably.
func same(t *testing.T, what string, got, want any) {
	t.Helper()
	g, err := json.Marshal(got)
	if err != nil {
		t.Fatal(err)
	}
	w, err := json.Marshal(want)
	if err != nil {
		t.Fatal(err)
	}
	if string(g) != string(w) {
		t.Errorf("%s:\n got %s\nwant %s", what, g, w)
	}
}

// lister reads one page of a keyset list inside a read transaction.
type lister[T any] func(tx parley.Tx, p parley.PageRequest) (parley.Page[T], error)

// checkPaging walks a list in pages of two, forwards in both orders, and
// reads back from its last item with Before; want is the natural (ascending)
// order of the items' SIDs and key gives an item's SID and paging key.
func checkPaging[T any](t *testing.T, s parley.Store, what string, want []string, list lister[T], key func(T) (string, int64)) {
	t.Helper()
	page := func(p parley.PageRequest) (sids []string, keys []int64, more bool) {
		t.Helper()
		read(t, s, func(tx parley.Tx) error {
			pg, err := list(tx, p)
			for _, item := range pg.Items {
				sid, k := key(item)
				sids, keys = append(sids, sid), append(keys, k)
			}
			more = pg.More
			return err
		})
		return sids, keys, more
	}
	for _, desc := range []bool{false, true} {
		expect := append([]string(nil), want...)
		if desc {
			for i, j := 0, len(expect)-1; i < j; i, j = i+1, j-1 {
				expect[i], expect[j] = expect[j], expect[i]
			}
		}
		var all []string
		var allKeys []int64
		var after *int64
		for pages := 0; ; pages++ {
			if pages > len(want) {
				t.Fatalf("%s desc=%v: paging does not end", what, desc)
			}
			sids, keys, more := page(parley.PageRequest{Size: 2, After: after, Desc: desc})
			all, allKeys = append(all, sids...), append(allKeys, keys...)
			if !more {
				break
			}
			after = &keys[len(keys)-1]
		}
		if fmt.Sprint(all) != fmt.Sprint(expect) {
			t.Errorf("%s desc=%v forward = %v, want %v", what, desc, all, expect)
			continue
		}
		if len(all) < 3 {
			continue
		}
		last := allKeys[len(allKeys)-1]
		back, _, more := page(parley.PageRequest{Size: 2, Before: &last, Desc: desc})
		if got, want := fmt.Sprint(back), fmt.Sprint(all[len(all)-3:len(all)-1]); got != want || more != (len(all) > 3) {
			t.Errorf("%s desc=%v page before the last = %v (more=%v), want %v (more=%v)", what, desc, got, more, want, len(all) > 3)
		}
	}
}

// participant adds a participant to c: a chat identity when identity is
// set, else an SMS participant at address.
func (f fixture) participant(t *testing.T, s parley.Store, c *parley.Conversation, identity, address *string) *parley.Participant {
	t.Helper()
	p := &parley.Participant{SID: parley.NewSID(parley.PrefixParticipant), AccountSID: f.acct.SID, ServiceSID: f.svc.SID,
		ConversationSID: c.SID, Identity: identity, Attributes: "{}", DateCreated: epoch, DateUpdated: epoch}
	if address != nil {
		// One proxy per conversation: a pair may be bound in one open
		// conversation only (testBindingPairs).
		p.MessagingBinding = &parley.MessagingBinding{Type: "sms", Address: address, ProxyAddress: strp("proxy-" + c.SID)}
	}
	write(t, s, func(tx parley.Tx) error { return tx.CreateParticipant(p) })
	return p
}

// gone checks that a lookup fails with CodeNotFound.
func gone(t *testing.T, s parley.Store, what string, lookup func(tx parley.Tx) error) {
	t.Helper()
	err := s.Read(ctx, lookup)
	if parley.ErrorCode(err) != parley.CodeNotFound {
		t.Errorf("%s: error = %v, want code %d", what, err, parley.CodeNotFound)
	}
}
