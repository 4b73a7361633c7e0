package parley

import "time"

// PrefixInvite starts Invite SIDs.
const PrefixInvite = "IN"

// Invite is a pending Chat membership: an identity asked to join a channel.
type Invite struct {
	Seq         int64
	SID         string
	AccountSID  string
	ServiceSID  string
	ChannelSID  string
	Identity    string
	RoleSID     *string
	CreatedBy   *string
	DateCreated time.Time
	DateUpdated time.Time
}

// InviteTx keeps Chat invites.
type InviteTx interface {
	// CreateInvite stores an invite; a second one for the same identity and
	// channel is CodeInviteExists.
	CreateInvite(i *Invite) error
	Invite(channelSID, sid string) (*Invite, error)
	// ListInvites pages a channel's invites, only those of identities when given.
	ListInvites(channelSID string, identities []string, p PageRequest) (Page[*Invite], error)
	DeleteInvite(channelSID, sid string) error
	// DeleteInvitesOf removes identity's invite to a channel, if any: joining
	// the channel accepts it.
	DeleteInvitesOf(channelSID, identity string) error
}
