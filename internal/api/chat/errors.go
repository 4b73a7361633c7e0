package chat

import (
	"errors"

	parley "github.com/parley-dev/parley"
)

// chatCodes is the one table of Chat's own error codes: the domain speaks
// Conversations' codes, and where Chat's error dictionary has a code of its
// own for the same failure, the Chat surface answers that one. A row with
// no Param matches the code alone.
var chatCodes = []struct {
	code    int
	param   string
	problem parley.Problem
	chat    int
}{
	// https://www.twilio.com/docs/api/errors/50306: unique name like a channel SID
	{parley.CodeUniqueNameIsSID, "", parley.ProblemNone, parley.CodeChatUniqueNameIsSID},
	// https://www.twilio.com/docs/api/errors/50307: channel unique name taken
	{parley.CodeConversationExists, "", parley.ProblemNone, parley.CodeChatChannelExists},
	// https://www.twilio.com/docs/api/errors/50303: attributes too long
	{parley.CodeInvalidParameter, "Attributes", parley.ProblemTooLong, parley.CodeChatAttributesTooLong},
	// https://www.twilio.com/docs/api/errors/50304: attributes not valid JSON
	{parley.CodeInvalidParameter, "Attributes", parley.ProblemNotJSON, parley.CodeChatAttributesNotJSON},
	// https://www.twilio.com/docs/api/errors/50003: friendly name too long
	{parley.CodeInvalidParameter, "FriendlyName", parley.ProblemTooLong, parley.CodeChatFriendlyNameTooLong},
	// https://www.twilio.com/docs/api/errors/50004: unique name too long
	{parley.CodeInvalidParameter, "UniqueName", parley.ProblemTooLong, parley.CodeChatUniqueNameTooLong},
	// https://www.twilio.com/docs/api/errors/50207: identity too long
	{parley.CodeInvalidParameter, "Identity", parley.ProblemTooLong, parley.CodeChatIdentityTooLong},
	// https://www.twilio.com/docs/api/errors/50507: media not found
	// (Conversations: 50510 invalid message media SID)
	{parley.CodeMediaNotFound, "", parley.ProblemNone, parley.CodeChatMediaNotFound},
	// https://www.twilio.com/docs/api/errors/50101: channel role not found
	// (Conversations: 50109 conversation role not found)
	{parley.CodeConversationRoleNotFound, "", parley.ProblemNone, parley.CodeChatRoleNotFound},
	// https://www.twilio.com/docs/api/errors/50100: a user's role not found
	{parley.CodeNotFound, "RoleSid", parley.ProblemNone, parley.CodeChatUserRoleNotFound},
}

// chatError translates a domain error to Chat's code, keeping its message
// and every error that has no Chat code of its own.
func chatError(err error) error {
	var pe *parley.Error
	if !errors.As(err, &pe) {
		return err
	}
	for _, row := range chatCodes {
		if row.code == pe.Code && (row.param == "" || row.param == pe.Param && row.problem == pe.Problem) {
			out := *pe
			out.Code = row.chat
			return &out
		}
	}
	return err
}
