package lsp

import (
	"encoding/binary"
	"encoding/json"
	"hash/maphash"
	"path/filepath"
	"strings"
	"sync"

	"go.lsp.dev/protocol"
	"go.lsp.dev/uri"

	"github.com/vpcgate/vpcgate/analyzer"
	"github.com/vpcgate/vpcgate/analyzer/graph"
	"github.com/vpcgate/vpcgate/analyzer/textpos"
	"github.com/vpcgate/vpcgate/policies"
)

// RulesDoc is where the built-in rules are documented; a diagnostic's
// codeDescription links to the rule's section.
const RulesDoc = "https://github.com/vpcgate/vpcgate/blob/main/policies/RULES.md"

// findingData is a finding diagnostic's data: what a code action needs
// to find the finding again in the latest snapshot.
type findingData struct {
	Fingerprint string `json:"fingerprint"`
	Rule        string `json:"rule"`
	Resource    string `json:"resource"`
}

// ruleHref is the documentation of a rule: its section of RULES.md for a
// built-in rule, else its first related resource, else its file.
func ruleHref(r *policies.Rule, id string) string {
	if r == nil || r.Builtin {
		return RulesDoc + "#" + id
	}
	if u := r.HelpURI(); u != "" {
		return u
	}
	if r.File != "" {
		return string(uri.File(r.File))
	}
	return RulesDoc
}

func severityOf(s policies.Severity) protocol.DiagnosticSeverity {
	switch s {
	case policies.SeverityCritical, policies.SeverityHigh:
		return protocol.DiagnosticSeverityError
	case policies.SeverityMedium:
		return protocol.DiagnosticSeverityWarning
	default:
		return protocol.DiagnosticSeverityInformation
	}
}

func inputSeverity(s graph.Severity) protocol.DiagnosticSeverity {
	switch s {
	case graph.SeverityError:
		return protocol.DiagnosticSeverityError
	case graph.SeverityWarning:
		return protocol.DiagnosticSeverityWarning
	default:
		return protocol.DiagnosticSeverityInformation
	}
}

func lspRange(sp textpos.Span) protocol.Range {
	return protocol.Range{
		Start: protocol.Position{Line: sp.Start.Line, Character: sp.Start.Character},
		End:   protocol.Position{Line: sp.End.Line, Character: sp.End.Character},
	}
}

func absFile(root, f string) string {
	if f == "" {
		return ""
	}
	if !filepath.IsAbs(f) {
		f = filepath.Join(root, f)
	}
	return filepath.Clean(f)
}

// fileDiags is the converted diagnostics of one file: the list and its
// JSON (what publish compares and sends), with the key they were made
// from.
type fileDiags struct {
	key  uint64
	list []protocol.Diagnostic
	data []byte
}

// convCache keeps each file's converted diagnostics between analyses: a
// workspace of 5,000 resources has thousands of findings, and an edit
// changes those of one VPC. A file is converted again only when its key —
// a hash of everything its diagnostics are made from: the findings and
// input diagnostics located in it, the texts (mappers) and URIs of every
// file they point into, the settings, the encoding and the engine —
// changed.
type convCache struct {
	mu      sync.Mutex
	seed    maphash.Seed
	files   map[string]fileDiags
	mappers map[string]*textpos.Mapper      // the mapper each file was last converted with
	uris    map[string]protocol.DocumentURI // the URI each file was last named by
	ids     map[string]uint64               // a number for each file, fixed
	gens    map[string]uint64               // bumped when a file's mapper or URI changes
}

// fileRef is what a key holds of a file a range points into.
type fileRef struct {
	abs     string
	id, gen uint64
}

// diagnostics converts a snapshot into diagnostics by file, with each
// file's JSON: the input's own diagnostics (parse errors, unknown values,
// configuration) and the findings. Suppressed findings are hints tagged
// Unnecessary, or left out when the setting show_suppressed is false.
func (w *workspace) diagnostics(snap *analyzer.Snapshot, epoch uint64, seen map[string]seenDoc, enc textpos.Encoding, st Settings) map[string]fileDiags {
	c := &w.conv
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.files == nil {
		c.seed = maphash.MakeSeed()
		c.files, c.mappers, c.uris = map[string]fileDiags{}, map[string]*textpos.Mapper{}, map[string]protocol.DocumentURI{}
		c.ids, c.gens = map[string]uint64{}, map[string]uint64{}
	}
	// One mapper and URI per file for the whole conversion: w.mapper
	// stats a file that is not open.
	mappers := map[string]*textpos.Mapper{}
	mapperOf := func(file string) *textpos.Mapper {
		m, ok := mappers[file]
		if !ok {
			m = w.mapper(file, seen)
			mappers[file] = m
		}
		return m
	}
	uris := map[string]protocol.DocumentURI{}
	uriOf := func(file string) protocol.DocumentURI {
		u, ok := uris[file]
		if !ok {
			u = w.uriOf(file)
			uris[file] = u
		}
		return u
	}
	// refs resolves a range's file as written (relative or absolute) once
	// per conversion: its absolute path, its number and its generation.
	refs := map[string]fileRef{}
	refOf := func(raw string) fileRef {
		if r, ok := refs[raw]; ok {
			return r
		}
		r := fileRef{abs: absFile(w.root, raw)}
		if r.abs != "" {
			m, u := mapperOf(r.abs), uriOf(r.abs)
			if c.mappers[r.abs] != m || c.uris[r.abs] != u {
				c.mappers[r.abs], c.uris[r.abs] = m, u
				c.gens[r.abs]++
			}
			id, ok := c.ids[r.abs]
			if !ok {
				id = uint64(len(c.ids) + 1)
				c.ids[r.abs] = id
			}
			r.id, r.gen = id, c.gens[r.abs]
		}
		refs[raw] = r
		return r
	}

	// Group by file.
	type group struct {
		inputs   []graph.Diagnostic
		findings []*policies.Finding
	}
	groups := map[string]*group{}
	groupOf := func(file string) *group {
		g := groups[file]
		if g == nil {
			g = &group{}
			groups[file] = g
		}
		return g
	}
	for _, d := range snap.Diagnostics {
		if file := refOf(d.Range.File).abs; file != "" {
			groupOf(file).inputs = append(groupOf(file).inputs, d)
		}
	}
	for i := range snap.Findings {
		f := &snap.Findings[i]
		if f.Suppressed && !st.showSuppressed() {
			continue
		}
		if file := refOf(f.Location().File).abs; file != "" {
			groupOf(file).findings = append(groupOf(file).findings, f)
		}
	}

	rules := map[string]*policies.Rule{}
	for i := range snap.Rules {
		rules[snap.Rules[i].ID] = &snap.Rules[i]
	}
	out := make(map[string]fileDiags, len(groups))
	var h maphash.Hash
	h.SetSeed(c.seed)
	str := func(s string) { h.WriteString(s); h.WriteByte(0) }
	var buf [64]byte
	ints := func(ns ...uint64) {
		for i, n := range ns {
			binary.LittleEndian.PutUint64(buf[8*i:], n)
		}
		h.Write(buf[:8*len(ns)])
	}
	rng := func(r graph.Range) {
		ref := refOf(r.File)
		ints(ref.id, ref.gen, uint64(r.Start.Line), uint64(r.Start.Column), uint64(r.Start.Byte),
			uint64(r.End.Line), uint64(r.End.Column), uint64(r.End.Byte))
	}
	for file, g := range groups {
		h.Reset()
		show := uint64(0)
		if st.showSuppressed() {
			show = 1
		}
		ints(epoch, show)
		str(string(enc))
		for _, d := range g.inputs {
			str(string(d.Severity))
			str(d.Summary)
			str(d.Detail)
			rng(d.Range)
		}
		for _, f := range g.findings {
			str(f.Fingerprint)
			str(f.RuleID)
			str(f.Message)
			str(string(f.Severity))
			var flags uint64
			if f.Undetermined {
				flags |= 1
			}
			if f.Suppressed {
				flags |= 2
			}
			ints(flags, uint64(len(f.Related)))
			if f.Suppression != nil {
				str(f.Suppression.Source)
				str(f.Suppression.Reason)
			}
			str(f.Resource.ID)
			rng(f.Location())
			for _, r := range f.Related {
				str(string(r.Kind))
				str(r.ID)
				str(r.Role)
				rng(r.Range)
			}
		}
		key := h.Sum64()
		if prev, ok := c.files[file]; ok && prev.key == key {
			out[file] = prev
			continue
		}
		list := w.convert(file, g.inputs, g.findings, rules, func(raw string) string { return refOf(raw).abs }, mapperOf, uriOf, enc)
		data, _ := json.Marshal(list)
		fd := fileDiags{key: key, list: list, data: data}
		c.files[file] = fd
		out[file] = fd
	}
	for file := range c.files {
		if _, ok := groups[file]; !ok {
			delete(c.files, file)
		}
	}
	return out
}

// convert makes the diagnostics of one file.
func (w *workspace) convert(file string, inputs []graph.Diagnostic, findings []*policies.Finding, rules map[string]*policies.Rule,
	absOf func(string) string, mapperOf func(string) *textpos.Mapper, uriOf func(string) protocol.DocumentURI, enc textpos.Encoding) []protocol.Diagnostic {
	out := make([]protocol.Diagnostic, 0, len(inputs)+len(findings))
	m := mapperOf(file)
	for _, d := range inputs {
		msg := d.Summary
		if d.Detail != "" {
			msg += ": " + d.Detail
		}
		out = append(out, protocol.Diagnostic{
			Range: lspRange(m.Span(d.Range, enc)), Severity: inputSeverity(d.Severity),
			Source: "vpcgate", Message: msg,
		})
	}
	for _, f := range findings {
		d := protocol.Diagnostic{
			Range:           lspRange(m.Span(f.Location(), enc)),
			Severity:        severityOf(f.Severity),
			Code:            f.RuleID,
			CodeDescription: &protocol.CodeDescription{Href: protocol.URI(ruleHref(rules[f.RuleID], f.RuleID))},
			Source:          "vpcgate",
			Message:         f.Message,
			Data:            findingData{Fingerprint: f.Fingerprint, Rule: f.RuleID, Resource: f.Resource.ID},
		}
		if f.Undetermined {
			d.Severity = protocol.DiagnosticSeverityInformation
			d.Message += " (undetermined: a value is known only after apply)"
		}
		if f.Suppressed {
			d.Severity = protocol.DiagnosticSeverityHint
			d.Tags = []protocol.DiagnosticTag{protocol.DiagnosticTagUnnecessary}
			if f.Suppression != nil {
				d.Message = "suppressed (" + f.Suppression.Source + ": " + f.Suppression.Reason + "): " + d.Message
			}
		}
		for _, r := range f.Related {
			rf := absOf(r.Range.File)
			if rf == "" {
				continue
			}
			d.RelatedInformation = append(d.RelatedInformation, protocol.DiagnosticRelatedInformation{
				Location: protocol.Location{URI: uriOf(rf), Range: lspRange(mapperOf(rf).Span(r.Range, enc))},
				Message:  strings.TrimSpace(string(r.Kind) + " " + r.ID + ": " + r.Role),
			})
		}
		out = append(out, d)
	}
	return out
}

// uriOf names path as the client does when it has the file open.
func (w *workspace) uriOf(path string) protocol.DocumentURI {
	if d := w.s.docByPath(path); d != nil {
		return d.uri
	}
	return fileURI(path)
}
