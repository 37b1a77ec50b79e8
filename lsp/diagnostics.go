package lsp

import (
	"path/filepath"
	"strings"

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

// diagnostics converts a snapshot into diagnostics by file: the input's
// own diagnostics (parse errors, unknown values, configuration) and the
// findings. Suppressed findings are hints tagged Unnecessary, or left out
// when the setting show_suppressed is false.
func (w *workspace) diagnostics(snap *analyzer.Snapshot, seen map[string]seenDoc, enc textpos.Encoding, st Settings) map[string][]protocol.Diagnostic {
	out := map[string][]protocol.Diagnostic{}
	// One mapper per file for the whole conversion: w.mapper stats a file
	// that is not open, and a workspace has thousands of findings.
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
	for _, d := range snap.Diagnostics {
		file := absFile(w.root, d.Range.File)
		if file == "" {
			continue
		}
		m := mapperOf(file)
		msg := d.Summary
		if d.Detail != "" {
			msg += ": " + d.Detail
		}
		out[file] = append(out[file], protocol.Diagnostic{
			Range: lspRange(m.Span(d.Range, enc)), Severity: inputSeverity(d.Severity),
			Source: "vpcgate", Message: msg,
		})
	}
	rules := map[string]*policies.Rule{}
	for i := range snap.Rules {
		rules[snap.Rules[i].ID] = &snap.Rules[i]
	}
	for _, f := range snap.Findings {
		if f.Suppressed && !st.showSuppressed() {
			continue
		}
		loc := f.Location()
		file := absFile(w.root, loc.File)
		if file == "" {
			continue
		}
		m := mapperOf(file)
		d := protocol.Diagnostic{
			Range:           lspRange(m.Span(loc, enc)),
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
			rf := absFile(w.root, r.Range.File)
			if rf == "" {
				continue
			}
			rm := mapperOf(rf)
			d.RelatedInformation = append(d.RelatedInformation, protocol.DiagnosticRelatedInformation{
				Location: protocol.Location{URI: uriOf(rf), Range: lspRange(rm.Span(r.Range, enc))},
				Message:  strings.TrimSpace(string(r.Kind) + " " + r.ID + ": " + r.Role),
			})
		}
		out[file] = append(out[file], d)
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
