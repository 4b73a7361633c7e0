package email

import (
	"bufio"
	"encoding/base64"
	"io"
	"mime"
	"mime/multipart"
	"mime/quotedprintable"
	"net/mail"
	"net/textproto"
	"strings"
)

// maxParts bounds the MIME parts read from one mail (nested ones count).
const maxParts = 100

// content is what Parley keeps of a mail: its first text/plain part and
// its attachments.
type content struct {
	text  string
	found bool // a text/plain part was seen
	files []attachment
	parts int
}

// attachment is a file a mail carried.
type attachment struct {
	contentType, filename string
	data                  []byte
}

// readContent walks a mail's MIME tree.
func readContent(msg *mail.Message) (*content, error) {
	c := &content{}
	err := c.walk(textproto.MIMEHeader(msg.Header), msg.Body)
	return c, err
}

func (c *content) walk(h textproto.MIMEHeader, body io.Reader) error {
	if c.parts++; c.parts > maxParts {
		return nil
	}
	mediaType, params, err := mime.ParseMediaType(h.Get("Content-Type"))
	if err != nil {
		mediaType, params = "text/plain", nil
	}
	if strings.HasPrefix(mediaType, "multipart/") && params["boundary"] != "" {
		r := multipart.NewReader(body, params["boundary"])
		for {
			p, err := r.NextRawPart()
			if err == io.EOF {
				return nil
			}
			if err != nil {
				return err
			}
			if err := c.walk(p.Header, p); err != nil {
				return err
			}
		}
	}
	data, err := io.ReadAll(decoded(h.Get("Content-Transfer-Encoding"), body))
	if err != nil {
		return err
	}
	disposition, dparams, _ := mime.ParseMediaType(h.Get("Content-Disposition"))
	switch {
	case mediaType == "text/plain" && disposition != "attachment" && !c.found:
		c.text, c.found = strings.ToValidUTF8(string(data), "\uFFFD"), true
	case disposition == "attachment" || (!strings.HasPrefix(mediaType, "text/") && !strings.HasPrefix(mediaType, "multipart/")):
		name := dparams["filename"]
		if name == "" {
			name = params["name"]
		}
		c.files = append(c.files, attachment{contentType: mediaType, filename: name, data: data})
	}
	return nil
}

// decoded undoes a part's Content-Transfer-Encoding.
func decoded(encoding string, r io.Reader) io.Reader {
	switch strings.ToLower(strings.TrimSpace(encoding)) {
	case "quoted-printable":
		return quotedprintable.NewReader(r)
	case "base64":
		return base64.NewDecoder(base64.StdEncoding, r)
	}
	return r
}

// stripQuoted drops what a reply quotes of earlier mail: a trailing block
// of "> " lines with the "On …, … wrote:" line that introduces it, or
// everything from an Outlook "-----Original Message-----" line on. A quote
// with answers between its lines is left as it is.
func stripQuoted(text string) string {
	text = strings.ReplaceAll(text, "\r\n", "\n")
	var lines []string
	sc := bufio.NewScanner(strings.NewReader(text))
	sc.Buffer(make([]byte, 0, 64*1024), len(text)+1)
	for sc.Scan() {
		lines = append(lines, sc.Text())
	}
	cut := len(lines)
	for i, l := range lines {
		if strings.TrimSpace(l) == "-----Original Message-----" {
			cut = i
			break
		}
	}
	// The trailing quote block: back from the end over "> " and blank lines.
	i := cut
	for i > 0 && (strings.HasPrefix(lines[i-1], ">") || strings.TrimSpace(lines[i-1]) == "") {
		i--
	}
	if quoted := i < cut && anyQuoted(lines[i:cut]); quoted {
		cut = i
		cut = dropAttribution(lines, cut)
	}
	return strings.TrimRight(strings.Join(lines[:cut], "\n"), " \t\n")
}

func anyQuoted(lines []string) bool {
	for _, l := range lines {
		if strings.HasPrefix(l, ">") {
			return true
		}
	}
	return false
}

// dropAttribution moves cut back over the line (or two, as clients wrap
// it) that says who wrote the quote: "On Mon, 1 Jan 2024, Kim <k@x> wrote:".
func dropAttribution(lines []string, cut int) int {
	if cut == 0 || !strings.HasSuffix(strings.TrimSpace(lines[cut-1]), "wrote:") {
		return cut
	}
	if strings.HasPrefix(lines[cut-1], "On ") {
		return cut - 1
	}
	if cut >= 2 && strings.HasPrefix(lines[cut-2], "On ") {
		return cut - 2
	}
	return cut - 1
}
