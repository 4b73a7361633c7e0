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
