package parley

// ChatUser is a User as Programmable Chat presents it: the same row, with
// the number of channels its identity is a member of.
type ChatUser struct {
	*User
	JoinedChannelsCount int64
}

// UserChannel is a user's standing in one channel, as Chat's User Channel
// shows it: joined (Membership is set) or invited (Invite is set). Key
// orders a user's channels for paging.
type UserChannel struct {
	UserSID    string
	Membership *Membership
	Invite     *Invite
	Key        int64
}

// ChatUserTx is the part of Tx behind Chat's users: what they show beyond
// the User row.
type ChatUserTx interface {
	// JoinedChannelsCounts counts, in one query on the participants
	// (service_sid, identity) index, the participations of each of the
	// given identities in a service. Identities without any are absent.
	JoinedChannelsCounts(serviceSID string, identities []string) (map[string]int64, error)
	// CountOpenMemberships counts identity's participations in the
	// service's conversations that are not closed (the ones the service's
	// user channel limit counts), leaving out conversation except.
	CountOpenMemberships(serviceSID, identity, except string) (int64, error)
	// ListUserInvites pages, by invite seq, identity's pending invites
	// across a service's channels.
	ListUserInvites(serviceSID, identity string, p PageRequest) (Page[*Invite], error)
}
