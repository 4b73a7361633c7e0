package core

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"mime"
	"net/http"
	"net/url"
	"path"
	"time"

	parley "github.com/parley-dev/parley"
)

// Inbound media: the files a phone sent with its message (MMS, WhatsApp)
// arrive as URLs. Parley fetches each into its own media store before the
// message's transaction and records it there, so the message carries the
// media as one posted through Parley does (REST `media`, the SDK, the Sync
// list item), and a URL that later expires changes nothing.

// inboundMediaTimeout bounds the fetch of one inbound media file.
const inboundMediaTimeout = 30 * time.Second

// WithMediaFetcher sets the HTTP client inbound media is fetched with (the
// server's keeps private addresses out when the operator says so).
func WithMediaFetcher(c *http.Client) Option { return func(a *App) { a.fetcher = c } }

func (a *App) mediaFetcher() *http.Client {
	if a.fetcher != nil {
		return a.fetcher
	}
	return http.DefaultClient
}

// inboundFile is one fetched file, stored as a blob but not yet recorded.
type inboundFile struct {
	sid, contentType, filename string
	size                       int64
}

// inboundMedia stores in's media, fetched from its URLs or carried in it,
// as blobs.
func (a *App) inboundMedia(ctx context.Context, in *parley.InboundMessage) ([]inboundFile, error) {
	if len(in.MediaURLs)+len(in.Files) > parley.MaxMediaPerMessage {
		return nil, parley.Errorf(parley.CodeMediaCount, "A message carries at most %d media files", parley.MaxMediaPerMessage)
	}
	files, err := a.fetchInboundMedia(ctx, in.MediaURLs)
	if err != nil || len(in.Files) == 0 {
		return files, err
	}
	if a.blobs == nil {
		return nil, fmt.Errorf("no media store configured for inbound media")
	}
	for _, f := range in.Files {
		stored, err := a.storeInboundFile(ctx, f)
		if err != nil {
			a.dropInboundMedia(ctx, files)
			return nil, fmt.Errorf("inbound media %s: %w", f.Filename, err)
		}
		files = append(files, stored)
	}
	return files, nil
}

// storeInboundFile stores a file a message carried inline.
func (a *App) storeInboundFile(ctx context.Context, f parley.InboundFile) (inboundFile, error) {
	if len(f.Data) > parley.MaxMediaBytes {
		return inboundFile{}, fmt.Errorf("larger than %d MB", parley.MediaSizeLimitMB)
	}
	out := inboundFile{sid: parley.NewSID(parley.PrefixMedia), contentType: f.ContentType, filename: f.Filename, size: int64(len(f.Data))}
	if _, _, err := mime.ParseMediaType(out.contentType); err != nil {
		out.contentType = "application/octet-stream"
	}
	if _, err := a.blobs.Put(ctx, out.sid, bytes.NewReader(f.Data)); err != nil {
		a.blobs.Delete(context.WithoutCancel(ctx), out.sid)
		return inboundFile{}, err
	}
	return out, nil
}

// fetchInboundMedia stores the files behind urls as blobs. A file that
// cannot be fetched fails the whole message, so the channel can deliver it
// again; what was stored is removed.
func (a *App) fetchInboundMedia(ctx context.Context, urls []string) ([]inboundFile, error) {
	if len(urls) == 0 {
		return nil, nil
	}
	if len(urls) > parley.MaxMediaPerMessage {
		return nil, parley.Errorf(parley.CodeMediaCount, "A message carries at most %d media files", parley.MaxMediaPerMessage)
	}
	if a.blobs == nil {
		return nil, fmt.Errorf("no media store configured for inbound media")
	}
	var files []inboundFile
	for _, u := range urls {
		f, err := a.fetchOne(ctx, u)
		if err != nil {
			a.dropInboundMedia(ctx, files)
			return nil, fmt.Errorf("inbound media %s: %w", u, err)
		}
		files = append(files, f)
	}
	return files, nil
}

func (a *App) fetchOne(ctx context.Context, rawURL string) (inboundFile, error) {
	u, err := url.Parse(rawURL)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") {
		return inboundFile{}, fmt.Errorf("not an http(s) URL")
	}
	ctx, cancel := context.WithTimeout(ctx, inboundMediaTimeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u.String(), nil)
	if err != nil {
		return inboundFile{}, err
	}
	resp, err := a.mediaFetcher().Do(req)
	if err != nil {
		return inboundFile{}, err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return inboundFile{}, fmt.Errorf("answered %d", resp.StatusCode)
	}
	f := inboundFile{sid: parley.NewSID(parley.PrefixMedia), contentType: resp.Header.Get("Content-Type")}
	if _, _, err := mime.ParseMediaType(f.contentType); err != nil {
		f.contentType = "application/octet-stream"
	}
	if name := path.Base(u.Path); name != "/" && name != "." {
		f.filename = name
	}
	n, err := a.blobs.Put(ctx, f.sid, io.LimitReader(resp.Body, parley.MaxMediaBytes+1))
	if err == nil && n > parley.MaxMediaBytes {
		err = fmt.Errorf("larger than %d MB", parley.MediaSizeLimitMB)
	}
	if err != nil {
		a.blobs.Delete(context.WithoutCancel(ctx), f.sid)
		return inboundFile{}, err
	}
	f.size = n
	return f, nil
}

// withInboundMedia sets m's media to the fetched files, before m is
// written.
func withInboundMedia(m *parley.Message, files []inboundFile) {
	for _, f := range files {
		ref := parley.MessageMedia{SID: f.sid, ContentType: f.contentType, Category: "media", Size: f.size}
		if f.filename != "" {
			ref.Filename = &f.filename
		}
		m.Media = append(m.Media, ref)
	}
	if len(m.Media) > 0 {
		m.MediaSID = &m.Media[0].SID
	}
}

// recordInboundMedia records m's media, fetched for it, once m is written.
func recordInboundMedia(tx parley.Tx, m *parley.Message) error {
	for _, ref := range m.Media {
		md := &parley.Media{SID: ref.SID, AccountSID: m.AccountSID, ServiceSID: m.ServiceSID,
			ConversationSID: &m.ConversationSID, MessageSID: &m.SID, Author: m.Author, ContentType: ref.ContentType,
			Filename: ref.Filename, Category: ref.Category, Size: ref.Size, DateCreated: tx.Now(), DateUpdated: tx.Now()}
		if err := tx.CreateMedia(md); err != nil {
			return err
		}
	}
	return nil
}

// dropInboundMedia removes fetched files whose message was not stored.
func (a *App) dropInboundMedia(ctx context.Context, files []inboundFile) {
	for _, f := range files {
		a.blobs.Delete(context.WithoutCancel(ctx), f.sid)
	}
}
