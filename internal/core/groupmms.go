package core

import (
	"slices"
	"strings"

	parley "github.com/parley-dev/parley"
)

// Group MMS (https://www.twilio.com/docs/conversations/group-texting): a
// conversation whose phones are added with only an Address, and whose chat
// participants are seen by them as a ProjectedAddress, a number of the
// conversation's Messaging Service. Its members are those addresses; the
// phones text each other through the carrier's group, so Parley sends a
// phone only what the others post, as one group message.

// isNANP reports whether address is a US or Canadian number: "Group MMS
// only works on +1 numbers".
func isNANP(address string) bool {
	rest, ok := strings.CutPrefix(address, "+1")
	return ok && len(rest) == 10 && isE164(address)
}

// checkGroupJoin applies the rules of group MMS to a participant about to
// join c (locked): binding is nil for a chat participant. Twilio's codes:
// 50434 a chat participant without projected address in a group, 50435 a
// mix of group and one-to-one participants or a number outside +1, 50437
// a member twice, 50436 over MaxGroupParticipants, 50439 a projected
// address that is not the service's, 50438 another open group with the
// same members.
func checkGroupJoin(tx parley.Tx, acct *parley.Account, c *parley.Conversation, binding *parley.MessagingBinding) error {
	if c.MessagingServiceSID == nil {
		return nil // no group without a service; a binding was refused already
	}
	members, err := tx.GroupMembers(c.SID)
	if err != nil {
		return err
	}
	joining := binding.GroupAddress()
	switch {
	case joining == "" && len(members) == 0:
		return nil
	case joining == "" && binding == nil:
		return parley.Errorf(parley.CodeProjectedAddressRequired,
			"Conversation %s is a group MMS conversation: a chat participant needs a MessagingBinding.ProjectedAddress", c.SID)
	case joining == "":
		return parley.Errorf(parley.CodeGroupActivation,
			"Conversation %s is a group MMS conversation: a participant with a MessagingBinding.ProxyAddress cannot join it", c.SID)
	case !isNANP(joining):
		return parley.Errorf(parley.CodeGroupActivation, "Group MMS reaches US and Canadian numbers (+1) only, not %s", joining)
	}
	if err := checkGroupNeighbours(tx, c, members); err != nil {
		return err
	}
	addresses := groupAddresses(members)
	if slices.Contains(addresses, joining) {
		return parley.Errorf(parley.CodeDuplicateGroupMember, "%s is already a member of group conversation %s", joining, c.SID)
	}
	if len(members) >= parley.MaxGroupParticipants {
		return parley.Errorf(parley.CodeGroupParticipantLimit, "Group conversation %s already has %d members, the limit",
			c.SID, parley.MaxGroupParticipants)
	}
	if binding.ProjectedAddress != nil {
		if mg, err := senderService(tx, acct.SID, joining); err != nil {
			return err
		} else if mg != *c.MessagingServiceSID {
			return parley.Errorf(parley.CodeProjectedAddressNotOwned,
				"MessagingBinding.ProjectedAddress %s is not a number of Messaging Service %s", joining, *c.MessagingServiceSID)
		}
	}
	return checkGroupUnique(tx, acct.SID, c.SID, append(addresses, joining))
}

// checkGroupNeighbours refuses a group member beside participants that
// cannot be in a group: one-to-one ones (with a proxy address) and chat
// participants without a projected address (50435,
// https://www.twilio.com/docs/api/errors/50435).
func checkGroupNeighbours(tx parley.Tx, c *parley.Conversation, members []*parley.Participant) error {
	bound, err := tx.CountChannelParticipants(c.SID)
	if err != nil {
		return err
	}
	var phones, projected int64
	for _, m := range members {
		if m.MessagingBinding.IsGroupPhone() {
			phones++
		} else {
			projected++
		}
	}
	if bound > phones {
		return parley.Errorf(parley.CodeGroupActivation,
			"Conversation %s has participants with a MessagingBinding.ProxyAddress: it cannot become a group MMS conversation", c.SID)
	}
	if c.MembersCount-bound-projected > 0 {
		return parley.Errorf(parley.CodeGroupActivation,
			"Conversation %s has chat participants without a MessagingBinding.ProjectedAddress: it cannot become a group MMS conversation", c.SID)
	}
	return nil
}

// checkGroupUnique refuses a member set that another open group of the
// account has: inbound group messages are routed by it
// (https://www.twilio.com/docs/api/errors/50438). Twilio recommends
// ConversationWithParticipants for groups, as a group built one
// participant at a time may pass through another's set.
func checkGroupUnique(tx parley.Tx, accountSID, conversationSID string, addresses []string) error {
	other, err := groupWith(tx, accountSID, addresses, conversationSID)
	if err != nil || other == "" {
		return err
	}
	return parley.Errorf(parley.CodeGroupExists, "Group conversation %s already has the members %s", other, strings.Join(addresses, ", "))
}

// groupWith finds the open group conversation of an account, other than
// except, whose members are exactly addresses ("" when none).
func groupWith(tx parley.Tx, accountSID string, addresses []string, except string) (string, error) {
	candidates, err := tx.GroupConversations(accountSID, addresses[0])
	if err != nil {
		return "", err
	}
	want := sortedSet(addresses)
	for _, sid := range candidates {
		if sid == except {
			continue
		}
		members, err := tx.GroupMembers(sid)
		if err != nil {
			return "", err
		}
		if slices.Equal(sortedSet(groupAddresses(members)), want) {
			return sid, nil
		}
	}
	return "", nil
}

// groupAddresses are the members' addresses, in the order they joined.
func groupAddresses(members []*parley.Participant) []string {
	out := make([]string, 0, len(members))
	for _, m := range members {
		out = append(out, m.MessagingBinding.GroupAddress())
	}
	return out
}

// sortedSet is addresses sorted, without repeats.
func sortedSet(addresses []string) []string {
	out := slices.Clone(addresses)
	slices.Sort(out)
	return slices.Compact(out)
}

// groupAuthor is the member of a group who wrote a message: by identity,
// else by address (a phone, or a bare projected address); nil when none.
func groupAuthor(members []*parley.Participant, author string) *parley.Participant {
	for _, m := range members {
		if (m.Identity != nil && *m.Identity == author) || m.MessagingBinding.GroupAddress() == author {
			return m
		}
	}
	return nil
}
