package syncview

import (
	"fmt"
	"strings"
	"testing"
)

func TestPageMap(t *testing.T) {
	var all []item
	for _, k := range []string{"a", "b", "c", "d", "e"} {
		all = append(all, item{key: k})
	}
	s := func(v string) *string { return &v }
	for _, tc := range []struct {
		q          query
		keys, toks string
	}{
		{query{size: 2}, "a,b", "prev=false next=true"},
		{query{size: 2, from: s("b")}, "b,c", "prev=true next=true"},
		{query{size: 2, from: s("b"), exclusive: true}, "c,d", "prev=true next=true"},
		{query{size: 9, from: s("bb")}, "c,d,e", "prev=true next=false"},
		{query{size: 9, from: s("z")}, "", "prev=true next=false"},
		{query{size: 2, desc: true}, "e,d", "prev=false next=true"},
		{query{size: 9, desc: true, from: s("c")}, "c,b,a", "prev=true next=false"},
		{query{size: 9, desc: true, from: s("c"), exclusive: true}, "b,a", "prev=true next=false"},
		{query{size: 9, key: s("d")}, "d", "prev=false next=false"},
		{query{size: 9, key: s("x")}, "", "prev=false next=false"},
	} {
		r := pageMap(all, tc.q)
		var keys []string
		for _, it := range r.items {
			keys = append(keys, it.key)
		}
		if got, toks := strings.Join(keys, ","), fmt.Sprintf("prev=%v next=%v", r.prev, r.next); got != tc.keys || toks != tc.toks {
			t.Errorf("%+v: [%s] %s, want [%s] %s", tc.q, got, toks, tc.keys, tc.toks)
		}
	}
}

func TestParseSIDs(t *testing.T) {
	user, conv := "US0123456789abcdef0123456789abcdef", "CH0123456789abcdef0123456789abcdef"
	for _, tc := range []struct {
		typ, sid string
		kind     kind
		owner    string
	}{
		{"map", UserInfoMap(user), kindUserInfo, user},
		{"map", MyConversationsMap(user), kindMyConversations, user},
		{"map", RosterMap(conv), kindRoster, conv},
		{"list", MessagesList(conv), kindMessages, conv},
		{"document", ConversationDocument(conv), kindDocument, conv},
	} {
		o, ok := parse(tc.typ, tc.sid)
		if !ok || o.kind != tc.kind || o.owner != tc.owner {
			t.Errorf("parse(%s, %s) = %+v %v", tc.typ, tc.sid, o, ok)
		}
	}
	for _, bad := range [][2]string{{"list", RosterMap(conv)}, {"map", "MPUSshort"}, {"document", "ET"}, {"map", ""}, {"stream", "TO1"}} {
		if o, ok := parse(bad[0], bad[1]); ok {
			t.Errorf("parse(%s, %s) = %+v, want refused", bad[0], bad[1], o)
		}
	}
}
