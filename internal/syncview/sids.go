package syncview

import (
	"strings"

	parley "github.com/parley-dev/parley"
)

// The Sync objects are projections of domain rows, so their SIDs are made
// from the rows' SIDs and need no table: the Sync type prefix (MP map, ES
// list, ET document) followed by the domain SID, with the user's
// conversations map told apart from the user's info map by "UC" in place
// of the user SID's "US".
const (
	prefixMap      = "MP"
	prefixList     = "ES"
	prefixDocument = "ET"
	myConvsMarker  = "UC"
)

// kind is one of the five projections.
type kind int

const (
	kindUserInfo        kind = iota + 1 // map: friendlyName, attributes, reachability of a user
	kindMyConversations                 // map: the conversations a user takes part in
	kindDocument                        // document: a conversation's own fields
	kindRoster                          // map: a conversation's participants
	kindMessages                        // list: a conversation's messages by index
)

// UserInfoMap is the SID of a user's info map.
func UserInfoMap(userSID string) string { return prefixMap + userSID }

// MyConversationsMap is the SID of the map of a user's conversations.
func MyConversationsMap(userSID string) string {
	return prefixMap + myConvsMarker + strings.TrimPrefix(userSID, parley.PrefixUser)
}

// ConversationDocument is the SID of a conversation's document.
func ConversationDocument(conversationSID string) string { return prefixDocument + conversationSID }

// RosterMap is the SID of a conversation's participants map.
func RosterMap(conversationSID string) string { return prefixMap + conversationSID }

// MessagesList is the SID of a conversation's messages list.
func MessagesList(conversationSID string) string { return prefixList + conversationSID }

// object is a parsed Sync SID: which projection, of which domain row.
type object struct {
	kind  kind
	sid   string
	owner string // the user or conversation SID
}

// parse reads a Sync SID of the given Sync type ("map", "list",
// "document"); ok is false for anything Parley did not hand out.
func parse(typ, sid string) (object, bool) {
	o := object{sid: sid}
	switch {
	case typ == "map" && strings.HasPrefix(sid, prefixMap+myConvsMarker):
		o.kind, o.owner = kindMyConversations, parley.PrefixUser+sid[len(prefixMap+myConvsMarker):]
		return o, parley.IsSID(o.owner, parley.PrefixUser)
	case typ == "map" && strings.HasPrefix(sid, prefixMap+parley.PrefixUser):
		o.kind, o.owner = kindUserInfo, sid[len(prefixMap):]
		return o, parley.IsSID(o.owner, parley.PrefixUser)
	case typ == "map" && strings.HasPrefix(sid, prefixMap):
		o.kind, o.owner = kindRoster, sid[len(prefixMap):]
	case typ == "list" && strings.HasPrefix(sid, prefixList):
		o.kind, o.owner = kindMessages, sid[len(prefixList):]
	case typ == "document" && strings.HasPrefix(sid, prefixDocument):
		o.kind, o.owner = kindDocument, sid[len(prefixDocument):]
	default:
		return o, false
	}
	return o, parley.IsSID(o.owner, parley.PrefixConversation)
}
