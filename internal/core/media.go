package core

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"mime"
	"strings"

	parley "github.com/parley-dev/parley"
)

// MediaDeleteJobKind removes the files of media whose records are gone
// (with their message, conversation, service or account). The job is
// enqueued in the deleting transaction, so a committed delete always
// removes its files, even across a crash.
const MediaDeleteJobKind = "media.delete"

// WithBlobs sets where media files' bytes are kept. Without it, uploads
// fail.
func WithBlobs(b parley.Blobs) Option { return func(a *App) { a.blobs = b } }

// mediaAuthorSystem is the author of media uploaded with account
// credentials, as Twilio names the author of REST-made messages.
const mediaAuthorSystem = "system"

// MediaUpload is one file to store.
type MediaUpload struct {
	ContentType string
	Filename    *string
	// Category is "media" unless the SDK says otherwise (email bodies and
	// histories, which Parley stores alike).
	Category string
	Body     io.Reader
}

// UploadMedia stores an uploaded file under the service, authored by
// identity ("" for account credentials). The bytes go to the blob store
// first, then the record: a file without a record is never served, and a
// failed insert removes the file again.
func (a *App) UploadMedia(ctx context.Context, serviceSID, identity string, u MediaUpload) (*parley.Media, error) {
	acct, err := account(ctx)
	if err != nil {
		return nil, err
	}
	if a.blobs == nil {
		return nil, errors.New("no media store configured")
	}
	if err := validateUpload(&u); err != nil {
		return nil, err
	}
	if identity == "" {
		identity = mediaAuthorSystem
	}
	var svc *parley.Service
	err = a.store.Read(ctx, func(tx parley.Tx) (err error) {
		svc, err = service(tx, acct, serviceSID)
		return err
	})
	if err != nil {
		return nil, err
	}
	m := &parley.Media{SID: parley.NewSID(parley.PrefixMedia), AccountSID: acct.SID, ServiceSID: svc.SID, Author: identity,
		ContentType: u.ContentType, Filename: u.Filename, Category: u.Category}
	// One byte past the limit tells an oversized upload from one that
	// fits exactly, without reading the rest of it.
	n, err := a.blobs.Put(ctx, m.SID, io.LimitReader(u.Body, parley.MaxMediaBytes+1))
	if err == nil && n > parley.MaxMediaBytes {
		err = parley.Errorf(parley.CodeMediaTooLarge, "Media must not exceed %d MB", parley.MediaSizeLimitMB)
	}
	if err == nil && n == 0 {
		err = parley.Errorf(parley.CodeInvalidParameter, "Media content is empty")
	}
	if err == nil {
		m.Size = n
		err = a.store.Write(ctx, func(tx parley.Tx) error {
			m.DateCreated, m.DateUpdated = tx.Now(), tx.Now()
			return tx.CreateMedia(m)
		})
	}
	if err != nil {
		a.blobs.Delete(context.WithoutCancel(ctx), m.SID)
		return nil, err
	}
	return m, nil
}

// validateUpload checks the declared media type: any well-formed type is
// accepted for chat ("application/octet-stream" when none is given), as
// Twilio's chat media takes any file; 50511 is for a malformed one.
func validateUpload(u *MediaUpload) error {
	if u.ContentType == "" {
		u.ContentType = "application/octet-stream"
	}
	if _, _, err := mime.ParseMediaType(u.ContentType); err != nil || !strings.Contains(u.ContentType, "/") {
		return parley.Errorf(parley.CodeMediaContentType, "Content-Type %q is not a media type", u.ContentType)
	}
	if u.Category == "" {
		u.Category = "media"
	}
	switch u.Category {
	case "media", "body", "history":
	default:
		return parley.Errorf(parley.CodeInvalidParameter, "Category must be media, body or history; got %q", u.Category)
	}
	return maxLength("Filename", u.Filename, maxFilenameLength)
}

// maxFilenameLength bounds a stored file name (Parley's own bound: Twilio
// documents none).
const maxFilenameLength = 256

// Media fetches a service's media record. A client SDK caller (identity
// set) sees media it uploaded or that a message of one of its
// conversations carries; account credentials see all of the service's.
func (a *App) Media(ctx context.Context, serviceSID, identity, sid string) (*parley.Media, error) {
	acct, err := account(ctx)
	if err != nil {
		return nil, err
	}
	var m *parley.Media
	err = a.store.Read(ctx, func(tx parley.Tx) error {
		svc, err := service(tx, acct, serviceSID)
		if err != nil {
			return err
		}
		if m, err = tx.Media(svc.SID, sid); err != nil {
			return err
		}
		return mayRead(tx, m, identity)
	})
	return m, err
}

func mayRead(tx parley.Tx, m *parley.Media, identity string) error {
	if identity == "" || m.Author == identity {
		return nil
	}
	if m.ConversationSID != nil {
		_, err := tx.Participant(*m.ConversationSID, identity)
		if err == nil || !parley.IsNotFound(err) {
			return err
		}
	}
	return parley.NotFound("Media", m.SID)
}

// OpenMedia is Media with the file's bytes, which the caller closes.
func (a *App) OpenMedia(ctx context.Context, serviceSID, identity, sid string) (*parley.Media, io.ReadSeekCloser, error) {
	m, err := a.Media(ctx, serviceSID, identity, sid)
	if err != nil {
		return nil, nil, err
	}
	r, err := a.blobs.Open(ctx, m.SID)
	return m, r, err
}

// messageMedia resolves the media a new message names and claims them for
// it: each must be an upload of the message's service that no message
// carries yet (50510 otherwise), at most MaxMediaPerMessage of them.
func messageMedia(tx parley.Tx, m *parley.Message, sids []string) error {
	if len(sids) > parley.MaxMediaPerMessage {
		return parley.Errorf(parley.CodeMediaCount, "A message carries at most %d media files", parley.MaxMediaPerMessage)
	}
	for _, sid := range sids {
		md, err := tx.Media(m.ServiceSID, sid)
		if parley.IsNotFound(err) || (err == nil && md.MessageSID != nil) {
			return parley.ParamError(parley.CodeMediaNotFound, "MediaSid", parley.ProblemNone, "Media %s not found", sid)
		}
		if err != nil {
			return err
		}
		m.Media = append(m.Media, md.Ref())
	}
	if len(m.Media) > 0 {
		m.MediaSID = &m.Media[0].SID
	}
	return nil
}

// attachMedia records, after the message row exists, that it carries its
// media.
func attachMedia(tx parley.Tx, m *parley.Message) error {
	for _, md := range m.Media {
		if _, err := tx.AttachMedia(m.ServiceSID, md.SID, m.ConversationSID, m.SID); err != nil {
			return err
		}
	}
	return nil
}

// mediaSIDs are the media a message create names: REST's one MediaSid or
// the SDK's list.
func mediaSIDs(f parley.MessageFields) []string {
	sids := append([]string(nil), f.MediaSIDs...)
	if f.MediaSID != nil && *f.MediaSID != "" {
		sids = append([]string{*f.MediaSID}, sids...)
	}
	return sids
}

type mediaDeletePayload struct {
	SIDs []string `json:"sids"`
}

// forgetMedia enqueues the removal of the files of the media within scope
// (see parley.MediaTx.MediaSIDs), read before a delete cascades their
// records away.
func forgetMedia(tx parley.Tx, scopeSID string) error {
	sids, err := tx.MediaSIDs(scopeSID)
	if err != nil || len(sids) == 0 {
		return err
	}
	payload, err := json.Marshal(mediaDeletePayload{SIDs: sids})
	if err != nil {
		return err
	}
	return tx.EnqueueJob(&parley.Job{Kind: MediaDeleteJobKind, Payload: payload, RunAt: tx.Now()})
}

// RunMediaDelete is the handler of MediaDeleteJobKind. Removing a file
// twice is harmless, so a redelivered job is too.
func (a *App) RunMediaDelete(ctx context.Context, j *parley.Job) error {
	var p mediaDeletePayload
	if err := json.Unmarshal(j.Payload, &p); err != nil {
		return err
	}
	for _, sid := range p.SIDs {
		if err := a.blobs.Delete(ctx, sid); err != nil {
			return err
		}
	}
	return nil
}
