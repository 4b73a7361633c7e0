package parley

import (
	"context"
	"io"
	"time"
)

// PrefixMedia starts the SID of an uploaded media file.
const PrefixMedia = "ME"

// Media limits. One file may be up to MediaSizeLimitMB (Chat's
// media.size_limit_mb; the SDK reads the same figure from the client
// Configuration), a message carries up to MaxMediaPerMessage files.
const (
	MaxMediaBytes      = MediaSizeLimitMB << 20
	MaxMediaPerMessage = 10
)

// Media is a file uploaded to a service's media store (Twilio's MCS): by a
// client SDK before it sends a message, or over REST with account
// credentials. It belongs to no message until a message names it; then it
// goes with that message.
type Media struct {
	SID             string
	AccountSID      string
	ServiceSID      string
	ConversationSID *string
	MessageSID      *string
	// Author is the identity that uploaded it; "system" for uploads with
	// account credentials.
	Author      string
	ContentType string
	Filename    *string
	Category    string
	Size        int64
	DateCreated time.Time
	DateUpdated time.Time
}

// MessageMedia is what a message shows of each media file it carries.
type MessageMedia struct {
	SID         string  `json:"sid"`
	ContentType string  `json:"content_type"`
	Filename    *string `json:"filename"`
	Category    string  `json:"category"`
	Size        int64   `json:"size"`
}

// Ref is what a message keeps of the media.
func (m *Media) Ref() MessageMedia {
	return MessageMedia{SID: m.SID, ContentType: m.ContentType, Filename: m.Filename, Category: m.Category, Size: m.Size}
}

// MediaTx is the part of Tx that keeps media records.
type MediaTx interface {
	CreateMedia(m *Media) error
	// Media finds a service's media by SID (CodeNotFound).
	Media(serviceSID, sid string) (*Media, error)
	// AttachMedia gives unattached media to a message; media already on a
	// message is CodeMediaNotFound, as Twilio has it for a SID that names
	// no media usable under the service.
	AttachMedia(serviceSID, sid, conversationSID, messageSID string) (*Media, error)
	// MediaSIDs lists the media within a scope: an account, service or
	// conversation SID (told apart by prefix), or one message SID; callers
	// read it before a delete cascades the records away, to remove the
	// files after the commit.
	MediaSIDs(scopeSID string) ([]string, error)
}

// Blobs keeps media files' bytes, by key (the media SID), outside the
// database. The filesystem under the data dir is the default.
type Blobs interface {
	// Put stores r's bytes under key; readers never see a partial blob.
	// It returns the number of bytes written.
	Put(ctx context.Context, key string, r io.Reader) (int64, error)
	// Open reads the blob (CodeNotFound when missing).
	Open(ctx context.Context, key string) (io.ReadSeekCloser, error)
	// Delete removes the blob; a missing one is not an error.
	Delete(ctx context.Context, key string) error
}

// chatMediaEvents are Chat's names for a message add that carries media:
// Chat fires onMediaMessageSend/onMediaMessageSent instead of
// onMessageSend/onMessageSent (https://www.twilio.com/docs/chat/webhook-events).
var chatMediaEvents = map[string]string{EventMessageAdd: "onMediaMessageSend", EventMessageAdded: "onMediaMessageSent"}

// ChatEventOf is Chat's name for ev: ChatEvent's, or the media event for
// a message with media.
func ChatEventOf(ev *Event) (string, bool) {
	if ev.Message != nil && ev.Message.MediaSID != nil {
		if name, ok := chatMediaEvents[ev.Type]; ok {
			return name, true
		}
	}
	return ChatEvent(ev.Type)
}
