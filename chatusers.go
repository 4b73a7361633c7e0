package parley

// Programmable Chat role types: Chat names the scopes of the same role rows
// differently (deployment is Conversations' service scope, channel its
// conversation scope).
const (
	ChatRoleTypeDeployment = "deployment"
	ChatRoleTypeChannel    = "channel"
)

// ChatUser is a User as Programmable Chat presents it: the same row, with
// the number of channels its identity is a member of.
type ChatUser struct {
	*User
	JoinedChannelsCount int64
}

// ChatUsersTx is the part of Tx behind Chat's users.
type ChatUsersTx interface {
	// JoinedChannelsCounts counts, in one query on the participants
	// (service_sid, identity) index, the participations of each of the
	// given identities in a service. Identities without any are absent.
	JoinedChannelsCounts(serviceSID string, identities []string) (map[string]int64, error)
}
