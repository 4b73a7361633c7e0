package core

import (
	"mime"
	"strings"
	"unicode/utf16"

	parley "github.com/parley-dev/parley"
)

// What a phone channel carries, as Twilio's Messaging (which Conversations
// delivers through) accepts it. A message the channel would refuse stays in
// the conversation, as Twilio keeps it: only its delivery to that phone
// fails, with the code Twilio's Messages API answers, and it never reaches
// the adapter.

// maxChannelBody is the outbound body limit of SMS and WhatsApp, in
// characters ("Outbound: depends on channel — WhatsApp and SMS: 1600
// characters; Chat: 32KB", https://www.twilio.com/docs/conversations/conversations-limits).
// Twilio counts characters outside the basic plane, such as most emoji, as
// two (https://www.twilio.com/docs/api/errors/21617): UTF-16 code units.
const maxChannelBody = 1600

// channelMedia is one channel's media limits: the total size of a
// message's files (https://www.twilio.com/docs/sms/accepted-mime-types),
// the size of one image, and the content types it takes, refused with
// typeCode.
type channelMedia struct {
	maxTotal, maxImage int64
	accepts            func(contentType string) bool
	typeCode           int
}

var mediaRules = map[string]channelMedia{
	parley.BindingSMS: {maxTotal: 5 << 20, maxImage: 5 << 20, accepts: mmsAccepts, typeCode: parley.CodeMMSContentType},
	// WhatsApp: 16 MB, images only 5 MB
	// (https://www.twilio.com/docs/whatsapp/guidance-whatsapp-media-messages).
	parley.BindingWhatsApp: {maxTotal: 16 << 20, maxImage: 5 << 20, accepts: whatsAppAccepts, typeCode: parley.CodeWhatsAppContent},
}

// mmsAccepts: Twilio takes images, audio and video of any type for MMS
// (JPEG, PNG and GIF are resized for the handset, the rest sent as is),
// and the listed text and application types
// (https://www.twilio.com/docs/sms/accepted-mime-types).
func mmsAccepts(contentType string) bool {
	switch top, _, _ := strings.Cut(contentType, "/"); top {
	case "image", "audio", "video":
		return true
	}
	switch contentType {
	case "text/vcard", "text/x-vcard", "text/csv", "text/rtf", "text/richtext", "text/calendar", "text/directory",
		"application/pdf", "application/vcard", "application/vnd.apple.pkpass":
		return true
	}
	return false
}

// whatsAppAccepts: images (JPEG, PNG, WebP), audio (OGG, AMR, 3GP, AAC,
// MPEG), video (MP4), documents (PDF, Word, PowerPoint, Excel) and
// contacts (vCard) (https://www.twilio.com/docs/whatsapp/guidance-whatsapp-media-messages).
func whatsAppAccepts(contentType string) bool {
	switch contentType {
	case "image/jpeg", "image/jpg", "image/png", "image/webp",
		"audio/ogg", "audio/amr", "audio/3gpp", "audio/aac", "audio/mpeg", "audio/mp4",
		"video/mp4", "text/vcard", "text/x-vcard",
		"application/pdf", "application/msword",
		"application/vnd.openxmlformats-officedocument.wordprocessingml.document",
		"application/vnd.openxmlformats-officedocument.presentationml.presentation",
		"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet":
		return true
	}
	return false
}

// channelRefusal is the error code of a message that channel cannot carry,
// 0 when it can. A template message (ContentSid) sends neither body nor
// media ("if this field is set, Body and MediaSid parameters are ignored"),
// so only plain messages are checked.
func channelRefusal(channel string, m *parley.Message) int {
	rules, ok := mediaRules[channel]
	if !ok || m.ContentSID != nil {
		return 0 // email has neither limit
	}
	if m.Body != nil && len(utf16.Encode([]rune(*m.Body))) > maxChannelBody {
		return parley.CodeBodyTooLong
	}
	var total int64
	for _, md := range sentMedia(m) {
		ct := baseType(md.ContentType)
		if !rules.accepts(ct) {
			return rules.typeCode
		}
		total += md.Size
		if strings.HasPrefix(ct, "image/") && md.Size > rules.maxImage {
			return parley.CodeMediaOverChannelLimit
		}
	}
	if total > rules.maxTotal {
		return parley.CodeMediaOverChannelLimit
	}
	return 0
}

// sentMedia are the files of a message that go to phones: its media, not
// the email bodies and histories stored alike.
func sentMedia(m *parley.Message) []parley.MessageMedia {
	var out []parley.MessageMedia
	for _, md := range m.Media {
		if md.Category == "" || md.Category == "media" {
			out = append(out, md)
		}
	}
	return out
}

// baseType is a content type without its parameters, in lower case.
func baseType(contentType string) string {
	if t, _, err := mime.ParseMediaType(contentType); err == nil {
		return t
	}
	return strings.ToLower(contentType)
}
