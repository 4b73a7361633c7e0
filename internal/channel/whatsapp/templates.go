package whatsapp

import (
	"encoding/json"
	"fmt"
	"sort"
	"strconv"
	"strings"

	parley "github.com/parley-dev/parley"
)

// Parley has no Content API, so a message's ContentSid (HX…) names a Meta
// template through configuration: Config.Templates maps each Content SID
// to an approved template's name and language.

// Template is an approved WhatsApp message template.
type Template struct {
	Name, Language string
}

// ParseTemplates reads the --whatsapp-templates setting: comma-separated
// HX…=name:language entries, such as
// "HX1f8a1b4c2d3e4f5a6b7c8d9e0f1a2b3c=order_update:en_US".
func ParseTemplates(s string) (map[string]Template, error) {
	out := map[string]Template{}
	for entry := range strings.SplitSeq(s, ",") {
		entry = strings.TrimSpace(entry)
		if entry == "" {
			continue
		}
		sid, rest, ok1 := strings.Cut(entry, "=")
		name, lang, ok2 := strings.Cut(rest, ":")
		if !ok1 || !ok2 || !parley.IsSID(sid, "HX") || name == "" || lang == "" {
			return nil, fmt.Errorf("whatsapp-cloud channel: template %q: want HX…=name:language", entry)
		}
		out[sid] = Template{Name: name, Language: lang}
	}
	return out, nil
}

// templateBody is a Cloud API template message: the template's name and
// language, and the values of its body's placeholders
// (https://developers.facebook.com/docs/whatsapp/cloud-api/guides/send-message-templates).
type templateBody struct {
	Name       string      `json:"name"`
	Language   language    `json:"language"`
	Components []component `json:"components,omitempty"`
}

type language struct {
	Code string `json:"code"`
}

type component struct {
	Type       string      `json:"type"`
	Parameters []parameter `json:"parameters"`
}

// parameter is one placeholder's value: positional ({{1}}) in order, or
// named ({{first_name}}) with its name.
type parameter struct {
	Type string `json:"type"`
	Name string `json:"parameter_name,omitempty"`
	Text string `json:"text"`
}

// template is the template message of a Content SID, its ContentVariables
// (Twilio's {"1":"Kerry"}) as body parameters: numbered keys in number
// order for positional placeholders, others by name.
func (a *Adapter) template(contentSID, variables string) (*templateBody, error) {
	t, ok := a.templates[contentSID]
	if !ok {
		return nil, fmt.Errorf("no template is configured for %s", contentSID)
	}
	body := &templateBody{Name: t.Name, Language: language{Code: t.Language}}
	var values map[string]string
	if variables != "" {
		if err := json.Unmarshal([]byte(variables), &values); err != nil {
			return nil, err
		}
	}
	if len(values) == 0 {
		return body, nil
	}
	keys := make([]string, 0, len(values))
	for k := range values {
		keys = append(keys, k)
	}
	sort.Slice(keys, func(i, j int) bool {
		ni, ei := strconv.Atoi(keys[i])
		nj, ej := strconv.Atoi(keys[j])
		if ei == nil && ej == nil {
			return ni < nj
		}
		return keys[i] < keys[j]
	})
	params := make([]parameter, 0, len(keys))
	for _, k := range keys {
		p := parameter{Type: "text", Text: values[k]}
		if _, err := strconv.Atoi(k); err != nil {
			p.Name = k
		}
		params = append(params, p)
	}
	body.Components = []component{{Type: "body", Parameters: params}}
	return body, nil
}
