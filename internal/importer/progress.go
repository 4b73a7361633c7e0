package importer

import (
	"context"
	"fmt"
	"strings"
	"time"
)

// survey lists every service's Chat channels before anything is copied:
// the copy needs them, and their message counts are the total the ETA is
// reckoned against.
func (im *Importer) survey(ctx context.Context, services []wireService) error {
	im.channels = map[string][]wireChannel{}
	for _, svc := range services {
		channels, ok, err := im.chatChannels(ctx, svc.SID)
		if err != nil {
			return fmt.Errorf("service %s: %w", svc.SID, err)
		}
		if !ok {
			continue
		}
		im.channels[svc.SID] = channels
		for _, ch := range channels {
			im.total += ch.MessagesCount
		}
	}
	return nil
}

// progress reports until the returned stop is called: a line rewritten in
// place on a terminal, else a log line every ProgressEvery (key=value
// pairs, for log collectors).
func (im *Importer) progress(start time.Time) (stop func()) {
	every := im.ProgressEvery
	if every <= 0 {
		every = 10 * time.Second
	}
	if im.Terminal != nil {
		every = 500 * time.Millisecond
	}
	done := make(chan struct{})
	finished := make(chan struct{})
	go func() {
		defer close(finished)
		t := time.NewTicker(every)
		defer t.Stop()
		for {
			select {
			case <-done:
				if im.Terminal != nil {
					fmt.Fprintln(im.Terminal)
				}
				return
			case <-t.C:
				im.mu.Lock()
				r := im.report(start)
				im.mu.Unlock()
				if im.Terminal != nil {
					fmt.Fprintf(im.Terminal, "\r\033[K%s", r.Line(im.Source, im.eta()))
				} else {
					im.logf("progress %s", r.Fields(im.Source, im.eta()))
				}
			}
		}
	}()
	return func() { close(done); <-finished }
}

// eta returns the messages' total when it is known: a --since run reads
// an unknown part of them.
func (im *Importer) eta() int64 {
	if !im.Since.IsZero() {
		return 0
	}
	return im.total
}

// done is how many messages the run has read so far.
func (r Report) done() int64 {
	m := r.Counts["messages"]
	return int64(m.Copied + m.Updated + m.Existing)
}

func (r Report) rate() float64 {
	return float64(r.done()) / max(r.Elapsed.Seconds(), 1e-3)
}

// ETA is the time left at the present rate, or -1 when it is unknown.
func (r Report) ETA(total int64) time.Duration {
	left := total - r.done()
	if total <= 0 || r.rate() < 1 {
		return -1
	}
	return time.Duration(float64(max(left, 0)) / r.rate() * float64(time.Second)).Round(time.Second)
}

// Fields is the progress as key=value pairs: one per resource, then pages,
// retries, messages per second and, when known, the total and the ETA.
func (r Report) Fields(src *Source, total int64) string {
	var b strings.Builder
	for _, n := range r.Resources() {
		fmt.Fprintf(&b, "%s=%d ", strings.ReplaceAll(n, " ", "_"), r.Counts[n].Copied)
	}
	fmt.Fprintf(&b, "pages=%d retries=%d messages_per_s=%.0f", src.pages.Load(), src.retries.Load(), r.rate())
	if eta := r.ETA(total); eta >= 0 {
		fmt.Fprintf(&b, " messages_read=%d messages_total=%d eta=%s", r.done(), total, eta)
	}
	return b.String()
}

// Line is the one-line terminal display.
func (r Report) Line(src *Source, total int64) string {
	m := r.Counts["messages"]
	s := fmt.Sprintf("%d conversations, %d participants, %d messages copied; %d pages, %.0f msg/s",
		r.Counts["conversations"].Copied, r.Counts["participants"].Copied, m.Copied, src.pages.Load(), r.rate())
	if eta := r.ETA(total); eta >= 0 {
		s += fmt.Sprintf(", %d of %d read, ETA %s", r.done(), total, eta)
	}
	return s
}

// Summary is the closing line: the progress fields.
func (r Report) Summary(src *Source) string { return r.Fields(src, 0) }
