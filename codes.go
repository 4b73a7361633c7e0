package parley

// Twilio error codes: every code Parley answers with, in one place. The HTTP
// status of each lives in one table in internal/twilioapi; a code that is
// not there answers 400. Each code's page is
// https://www.twilio.com/docs/api/errors/<code>.

// General and authentication codes.
const (
	CodeInvalidParameter = 20001 // a parameter is missing or invalid
	CodeAuthFailed       = 20003 // bad credentials
	CodeMethodNotAllowed = 20004 // the route has no such method
	// CodeAccountNotActive refuses the credentials of a suspended account.
	CodeAccountNotActive = 20005
	CodeNotFound         = 20404 // the requested resource was not found
	// CodeForbidden: the credentials are good but may not do this (Twilio's
	// "403 Forbidden", https://www.twilio.com/docs/api/errors/20403).
	CodeForbidden = 20403
	// CodeClockNotVirtual is Parley's own: the clock API was called on a
	// server that runs on the real clock.
	CodeClockNotVirtual = 20409
	// CodeTooManyRequests: a request over a rate limit.
	CodeTooManyRequests = 20429
	CodeInternal        = 20500 // anything that is not a Parley error
	// CodeSubaccountNesting refuses a sub-account's attempt to create a
	// sub-account: "Only a root account may contain subaccounts".
	CodeSubaccountNesting = 21101
)

// Access-token codes (internal/accesstoken's table).
const (
	CodeTokenInvalid          = 20101 // malformed token
	CodeTokenHeaderInvalid    = 20102 // bad header: algorithm or content type
	CodeTokenIssuerInvalid    = 20103 // unknown key, other account's key, inactive account
	CodeTokenExpired          = 20104 // expired, or no expiration
	CodeTokenNotYetValid      = 20105 // nbf in the future
	CodeTokenGrantsInvalid    = 20106 // no identity, or an unknown service
	CodeTokenSignatureInvalid = 20107 // signature does not match the key's secret
	// CodeTokenLifetimeTooLong: the lifetime exceeds 24 hours (400, not 401).
	CodeTokenLifetimeTooLong = 20157
)

// Phone numbers and Messaging Services.
const (
	CodePhoneNumberInvalid     = 21421 // PhoneNumber is not in E.164
	CodePhoneNumberUnavailable = 21422 // the number already belongs to an account
	CodeSenderInService        = 21710 // the number is already in this service's pool
	// CodeSenderInOtherService: a number serves one Messaging Service at a time.
	CodeSenderInOtherService = 21712
	// CodeInvalidMessagingService: a conversation or the Configuration names
	// a Messaging Service the account does not have.
	CodeInvalidMessagingService = 50341
)

// Services, roles and users.
const (
	CodeServiceInUse = 50005 // the service still holds data
	// CodeInvalidChannelLimit and CodeInvalidMembersLimit refuse a malformed
	// user-channels or channel-members limit (Chat).
	CodeInvalidChannelLimit = 50060
	CodeInvalidMembersLimit = 50061
	// CodeInvalidRetryCount is Chat's invalid webhook retry count.
	CodeInvalidRetryCount = 50065
	// CodeUnknownPermission: a permission name outside the role type's
	// catalogue.
	CodeUnknownPermission = 50104
	// CodePermissionDenied: an SDK user's role lacks the permission (403).
	CodePermissionDenied = 50107
	// CodeConversationRoleNotFound: a participant's RoleSid names no
	// conversation role.
	CodeConversationRoleNotFound = 50109
	CodeUserExists               = 50201 // identity taken in the service
	// CodeIdentityIsSID: an identity that looks like a User SID.
	CodeIdentityIsSID = 50206
	// CodeUserChannelLimit (Chat) and CodeUserConversationLimit
	// (Conversations) refuse a participation beyond the user channel limit.
	CodeUserChannelLimit      = 50208
	CodeUserConversationLimit = 50214
	// CodePermissionReadChannelMetadata: reading a message's channel
	// metadata needs the readChannelMetadata permission (403).
	CodePermissionReadChannelMetadata = 50531
	// CodeNoChannelMetadata: "Channel Metadata not found", a 404 the client
	// SDK reads as "this message has none" and stops asking
	// (https://www.twilio.com/docs/api/errors/50530).
	CodeNoChannelMetadata = 50530
)

// Conversations and their states, timers and webhooks.
const (
	CodeWebhookRejected = 50313 // a pre-event webhook refused the action (Parley's best guess, see docs/webhooks.md)
	// CodeConversationExists: unique name taken in the service.
	CodeConversationExists = 50353
	// CodeTooManyWebhooks: a conversation already has five scoped webhooks.
	CodeTooManyWebhooks = 50361
	// CodeTooManyTriggers: a trigger webhook lists more than five keywords.
	CodeTooManyTriggers      = 50362
	CodeTimerInactiveTooLow  = 50375 // Timers.Inactive under 1 minute
	CodeTimerClosedTooLow    = 50376 // Timers.Closed under 10 minutes
	CodeConversationClosed   = 50377 // closed is final: no change to a closed conversation
	CodeStateInvalid         = 50378 // State is not a conversation state
	CodeTimerInactiveInvalid = 50379 // Timers.Inactive is not an ISO 8601 duration
	CodeTimerClosedInvalid   = 50380 // Timers.Closed is not an ISO 8601 duration
	CodeTimersWithoutState   = 50382 // Timers given without State
	CodeCreatedClosed        = 50384 // a conversation cannot be created closed
	// CodeUniqueNameIsSID: a unique name that looks like a conversation SID.
	CodeUniqueNameIsSID = 50390
)

// Participants, members and invites.
const (
	// CodeNotMember is Chat's "User not member of channel".
	CodeNotMember = 50400
	// CodeMemberLimit (Chat) and CodeParticipantLimit (Conversations)
	// refuse a participant beyond the service's channel member limit.
	CodeMemberLimit = 50403
	// CodeMemberExists is Chat's "Member already exists".
	CodeMemberExists = 50404
	// CodeInvalidAddress: an address with invalid syntax for its type, on
	// an address configuration or a participant's MessagingBinding.Address.
	CodeInvalidAddress = 50407
	// CodeInvalidProxyAddress: MessagingBinding.ProxyAddress is not an
	// address of the participant's channel.
	CodeInvalidProxyAddress = 50408
	CodeAddressIsProxy      = 50409 // address and proxy address are equal
	CodeEmptyProxyAddress   = 50412 // a proxy address is required
	// CodeProxyNotSupported: a proxy address on a participant of a channel
	// that has none, such as email
	// (https://www.twilio.com/docs/api/errors/50453).
	CodeProxyNotSupported = 50453
	// CodeBindingPairInUse: the (address, proxy address) pair is bound in
	// another non-closed conversation; CodeBindingPairInUseBulk is the same
	// refusal from ConversationWithParticipants.
	CodeBindingPairInUse = 50416
	CodeParticipantLimit = 50417
	// CodeChannelParticipantLimit: a conversation holds at most
	// MaxChannelParticipants non-chat participants.
	CodeChannelParticipantLimit = 50418
	CodeBindingPairInUseBulk    = 50425
	// CodeTooManyParticipants: more participants than one
	// ConversationWithParticipants request may add.
	CodeTooManyParticipants = 50426
	CodeParticipantExists   = 50433 // identity taken in the conversation
	// CodeIdentityWithBinding: a new participant with both an Identity and
	// a MessagingBinding (https://www.twilio.com/docs/api/errors/50211);
	// CodeIdentityNotAllowed: an update giving a channel participant an
	// Identity (https://www.twilio.com/docs/api/errors/50444).
	CodeIdentityWithBinding = 50211
	CodeIdentityNotAllowed  = 50444
	// CodeDuplicateGroupMember and CodeGroupExists: a duplicate member of a
	// group conversation, and another group with the same member set (409).
	CodeDuplicateGroupMember = 50437
	CodeGroupExists          = 50438
	// Group MMS (https://www.twilio.com/docs/conversations/group-texting):
	// CodeProjectedAddressRequired, a chat participant without a
	// ProjectedAddress in a group MMS conversation (50434);
	// CodeGroupActivation, participants that make no valid group MMS
	// address list (50435: one-to-one SMS participants beside group ones,
	// a chat participant without ProjectedAddress, a number outside the
	// US and Canada); CodeGroupParticipantLimit, more than
	// MaxGroupParticipants (50436); CodeProjectedAddressNotOwned, a
	// ProjectedAddress that is not a number of the conversation's
	// Messaging Service (50439); CodeProjectedAddressWithBinding, a
	// ProjectedAddress beside an Address or ProxyAddress (50443);
	// CodeAuthorNotInGroup, a message whose author is no member of the
	// group (50513).
	CodeProjectedAddressRequired    = 50434
	CodeGroupActivation             = 50435
	CodeGroupParticipantLimit       = 50436
	CodeProjectedAddressNotOwned    = 50439
	CodeProjectedAddressWithBinding = 50443
	CodeAuthorNotInGroup            = 50513
	// CodeNoMessagingService: the conversation has no Messaging Service to
	// reach a non-chat participant through ("Conversations: Messaging
	// service SID not provided", https://www.twilio.com/docs/api/errors/50340).
	CodeNoMessagingService = 50340
	// CodeInviteExists is Chat's "User already invited".
	CodeInviteExists = 50212
)

// Messages and address configurations.
const (
	CodeMessageTooLong = 50504 // body over the length limit
	// CodeMediaNotFound: MediaSid names no uploaded media (Chat: 50507).
	CodeMediaNotFound = 50510
	// CodeMediaTooLarge: "The requested multimedia attachment size
	// exceeds the allowed limit" (https://www.twilio.com/docs/api/errors/50512).
	CodeMediaTooLarge = 50512
	// CodeMediaContentType: "An invalid multimedia attachment content
	// type was supplied" (https://www.twilio.com/docs/api/errors/50511).
	CodeMediaContentType = 50511
	// CodeMediaCount: more media on one message than allowed: "You may
	// send up to 10 media files in a single message"
	// (https://www.twilio.com/docs/api/errors/21623).
	CodeMediaCount = 21623
	// CodeContentVariables: ContentVariables is not a JSON object of
	// strings (https://www.twilio.com/docs/api/errors/21656).
	CodeContentVariables = 21656
	// CodeAddressExists: the account already has a configuration for the
	// address. Twilio documents no code for this conflict (neither the
	// Address Configuration page nor the error dictionary names one), so
	// Parley uses 50600, a Conversations-range code that none of the
	// documented errors it found uses; it answers 409 like the other
	// uniqueness conflicts (50353, 50433). Replace it if Twilio's own code
	// turns up.
	CodeAddressExists = 50600
)

// Programmable Chat's own codes for failures the domain reports with a
// Conversations code (internal/api/chat's translation table).
const (
	CodeChatFriendlyNameTooLong = 50003
	CodeChatUniqueNameTooLong   = 50004
	CodeChatRoleNotFound        = 50101 // Conversations: 50109
	CodeChatUserRoleNotFound    = 50100 // a user's RoleSid; Conversations: 20404
	CodeChatIdentityTooLong     = 50207
	CodeChatAttributesTooLong   = 50303
	CodeChatAttributesNotJSON   = 50304
	CodeChatUniqueNameIsSID     = 50306 // Conversations: 50390
	CodeChatChannelExists       = 50307 // Conversations: 50353
	CodeChatMediaNotFound       = 50507 // Conversations: 50510
)

// Sync codes, answered over the client connection for the Sync objects
// the SDK reads (internal/syncview), each with its own status there.
const (
	// CodeSyncForbidden: "Access forbidden for identity" (403), an object
	// the token's identity may not read.
	CodeSyncForbidden        = 54007
	CodeDocumentNotFound     = 54100 // "Document not found" (404)
	CodeListNotFound         = 54150 // "List not found" (404)
	CodeMapNotFound          = 54200 // "Map not found" (404)
	CodeInvalidListItemIndex = 54458 // "Invalid List Item index": not a non-negative integer (400)
)

// Errors of a delivery to a phone, as Twilio's Messaging reports them on
// the receipt (error_code); the message itself stays in the conversation.
const (
	// CodeBodyTooLong: "The concatenated message body exceeds the 1600
	// character limit" (https://www.twilio.com/docs/api/errors/21617).
	CodeBodyTooLong = 21617
	// CodeMediaOverChannelLimit: "Media exceeds messaging provider size
	// limit": 5 MB for MMS, 16 MB for WhatsApp
	// (https://www.twilio.com/docs/api/errors/11751).
	CodeMediaOverChannelLimit = 11751
	// CodeMMSContentType: "Twilio is unable to process the Content-Type of
	// the provided URL" (https://www.twilio.com/docs/api/errors/12300).
	CodeMMSContentType = 12300
	// CodeWhatsAppContent: "Message contains content that is rejected or
	// unsupported by the messaging channel"
	// (https://www.twilio.com/docs/api/errors/63021).
	CodeWhatsAppContent = 63021
	// CodeContentSIDInvalid: the ContentSid names no template the channel
	// knows (https://www.twilio.com/docs/api/errors/21655).
	CodeContentSIDInvalid = 21655
	// CodeOutsideSessionWindow: "Failed to send freeform message because
	// you are outside the allowed window" of 24 hours after the WhatsApp
	// user's last message (https://www.twilio.com/docs/api/errors/63016).
	CodeOutsideSessionWindow = 63016
)
