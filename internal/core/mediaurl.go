package core

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"io"
	"net/url"
	"strconv"
	"time"

	parley "github.com/parley-dev/parley"
)

// MediaURLLifetime is how long a content_direct_temporary link works. The
// SDK fetches a fresh one each time it shows media; Twilio does not
// document its own lifetime, so this is Parley's choice.
const MediaURLLifetime = 5 * time.Minute

// ChannelMediaURLLifetime is how long the media links of a delivery to a
// phone work: the provider fetches them when it sends, and Twilio may hold
// a message in its queue up to the Messaging Service's validity period,
// 4 hours by default (https://www.twilio.com/docs/messaging/api/service-resource).
const ChannelMediaURLLifetime = 4 * time.Hour

// WithMediaBase sets the media service's base URL as providers reach it
// (Parley's public URL and the service's prefix): deliveries to phones
// carry links to their media under it.
func WithMediaBase(base string) Option { return func(a *App) { a.mediaBase = base } }

// MediaContentURL is the temporary link to a media file's content under
// base, the media service's URL.
func MediaContentURL(base, serviceSID, sid string, expires int64, signature string) string {
	return base + "/Services/" + serviceSID + "/Media/" + sid + "/Content?" +
		url.Values{"Expires": {strconv.FormatInt(expires, 10)}, "Signature": {signature}}.Encode()
}

// channelMediaLinks are the links a delivery of m carries, with their
// content types, valid from now for ChannelMediaURLLifetime.
func (a *App) channelMediaLinks(m *parley.Message, now time.Time) (urls, types []string) {
	expires := now.Add(ChannelMediaURLLifetime).Unix()
	for _, md := range sentMedia(m) {
		urls = append(urls, MediaContentURL(a.mediaBase, m.ServiceSID, md.SID, expires, a.mediaSignature(m.ServiceSID, md.SID, expires)))
		types = append(types, md.ContentType)
	}
	return urls, types
}

// mediaURLKey derives the key that signs temporary media links from the
// master key, so a link names no credential and survives restarts.
func (a *App) mediaURLKey() []byte {
	mac := hmac.New(sha256.New, a.masterKey)
	mac.Write([]byte("parley media url v1"))
	return mac.Sum(nil)
}

func (a *App) mediaSignature(serviceSID, sid string, expires int64) string {
	mac := hmac.New(sha256.New, a.mediaURLKey())
	mac.Write([]byte(serviceSID + "/" + sid + "/" + strconv.FormatInt(expires, 10)))
	return base64.RawURLEncoding.EncodeToString(mac.Sum(nil))
}

// SignMedia returns the expiry (Unix seconds, on the store's clock, which
// is the virtual one under --clock virtual) and the signature of a
// temporary link to a media file's content.
func (a *App) SignMedia(ctx context.Context, m *parley.Media) (expires int64, signature string, err error) {
	err = a.store.Read(ctx, func(tx parley.Tx) error {
		expires = tx.Now().Add(MediaURLLifetime).Unix()
		return nil
	})
	return expires, a.mediaSignature(m.ServiceSID, m.SID, expires), err
}

// OpenSignedMedia opens a media file through a temporary link: the
// signature must match and the link must not have expired. A refused link
// is 401 (20003) as a wrong credential, whatever the reason, so it tells nothing.
func (a *App) OpenSignedMedia(ctx context.Context, serviceSID, sid, expires, signature string) (*parley.Media, io.ReadSeekCloser, error) {
	exp, err := strconv.ParseInt(expires, 10, 64)
	want := a.mediaSignature(serviceSID, sid, exp)
	if err != nil || !hmac.Equal([]byte(want), []byte(signature)) {
		return nil, nil, parley.Errorf(CodeMediaLinkRefused, "The media link is not valid")
	}
	var m *parley.Media
	err = a.store.Read(ctx, func(tx parley.Tx) error {
		if tx.Now().Unix() >= exp {
			return parley.Errorf(CodeMediaLinkRefused, "The media link has expired")
		}
		m, err = tx.Media(serviceSID, sid)
		return err
	})
	if err != nil {
		return nil, nil, err
	}
	r, err := a.blobs.Open(ctx, m.SID)
	return m, r, err
}

// CodeMediaLinkRefused answers a temporary media link that is forged or
// expired: Twilio's 20003 (authentication failed), as the link is the
// credential.
const CodeMediaLinkRefused = parley.CodeAuthFailed
