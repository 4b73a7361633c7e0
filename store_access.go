package parley

// AccessTx is the part of Tx for roles, service configuration, user
// conversations and participant conversations.
type AccessTx interface {
	// ListRoles pages a service's roles in creation order.
	ListRoles(serviceSID string, p PageRequest) (Page[*Role], error)
	// UpdateRole writes a role's permissions and date_updated.
	UpdateRole(r *Role) error
	DeleteRole(serviceSID, sid string) error
	// RoleInUse reports whether a user, a participant or one of the
	// service's default role SIDs refers to the role.
	RoleInUse(serviceSID, sid string) (bool, error)

	// UpdateServiceConfiguration writes a service's default role SIDs and
	// reachability flag.
	UpdateServiceConfiguration(s *Service) error

	// ListMemberships pages, by participant seq, the participations in a
	// service that match f. Participant, Conversation and NotificationLevel
	// are filled.
	ListMemberships(serviceSID string, f MembershipFilter, p PageRequest) (Page[*Membership], error)
	// Membership finds the participation of identity in a conversation.
	Membership(c *Conversation, identity string) (*Membership, error)
	// UpdateMembership writes the participant's notification level, read
	// horizon and date_updated.
	UpdateMembership(m *Membership) error
	// CountMessagesAfter counts the existing messages of a conversation whose
	// index is greater than index, stopping at limit.
	CountMessagesAfter(conversationSID string, index int64, limit int) (int64, error)
}
