package lsp

import (
	"context"
	"encoding/json"
	"fmt"
	"regexp"
	"strings"

	"go.lsp.dev/protocol"

	"github.com/vpcgate/vpcgate/analyzer/graph"
	"github.com/vpcgate/vpcgate/analyzer/textpos"
	"github.com/vpcgate/vpcgate/policies"
)

// CodeAction offers quick fixes for the findings under the range (or
// named by the request's diagnostics): a suppression comment with a
// reason placeholder, a security group reference instead of 0.0.0.0/0 or
// ::/0, multi_az = true and publicly_accessible = false, in Terraform and
// CloudFormation. Each carries a WorkspaceEdit.
func (s *Server) CodeAction(ctx context.Context, p *protocol.CodeActionParams) ([]protocol.CodeAction, error) {
	v, ok := s.view(ctx, p.TextDocument.URI)
	if !ok {
		return []protocol.CodeAction{}, nil
	}
	if len(p.Context.Only) > 0 {
		quick := false
		for _, k := range p.Context.Only {
			if k == protocol.QuickFix || strings.HasPrefix(string(protocol.QuickFix), string(k)) {
				quick = true
			}
		}
		if !quick {
			return []protocol.CodeAction{}, nil
		}
	}
	wanted := map[string]protocol.Diagnostic{}
	for _, d := range p.Context.Diagnostics {
		var fd findingData
		if raw, err := json.Marshal(d.Data); err == nil && json.Unmarshal(raw, &fd) == nil && fd.Fingerprint != "" {
			wanted[fd.Fingerprint] = d
		}
	}
	start := v.m.ByteOffset(textpos.Position{Line: p.Range.Start.Line, Character: p.Range.Start.Character}, v.enc)
	end := v.m.ByteOffset(textpos.Position{Line: p.Range.End.Line, Character: p.Range.End.Character}, v.enc)
	out := []protocol.CodeAction{}
	seen := map[string]bool{}
	for _, f := range v.snap.Findings {
		if f.Suppressed {
			continue
		}
		loc := f.Location()
		if absFile(v.w.root, loc.File) != v.path {
			continue
		}
		d, named := wanted[f.Fingerprint]
		if !named {
			s, e := v.m.Offset(loc.Start), v.m.Offset(loc.End)
			if e < start || s > end {
				continue
			}
		}
		for _, a := range v.fixes(f) {
			key := a.Title
			if seen[key] {
				continue
			}
			seen[key] = true
			if named {
				a.Diagnostics = []protocol.Diagnostic{d}
			}
			out = append(out, a)
		}
	}
	return out, nil
}

// edit is one replacement in the view's file, in byte offsets.
type edit struct {
	start, end int
	text       string
}

func (v *view) action(title string, preferred bool, edits ...edit) protocol.CodeAction {
	var tes []protocol.TextEdit
	for _, e := range edits {
		sp := textpos.Span{Start: v.m.Position(e.start, v.enc), End: v.m.Position(e.end, v.enc)}
		tes = append(tes, protocol.TextEdit{Range: lspRange(sp), NewText: e.text})
	}
	u := v.w.uriOf(v.path)
	return protocol.CodeAction{
		Title: title, Kind: protocol.QuickFix, IsPreferred: preferred,
		Edit: &protocol.WorkspaceEdit{Changes: map[protocol.DocumentURI][]protocol.TextEdit{u: tes}},
	}
}

// form tells the fixes' syntax apart.
type form int

const (
	formOther form = iota
	formTerraform
	formCFNYAML
	formCFNJSON
)

func (v *view) form(n graph.Node) form {
	switch n.Meta().Source.Form {
	case graph.FormTerraform:
		if strings.HasSuffix(v.path, ".tf") {
			return formTerraform
		}
	case graph.FormCloudFormation:
		t := strings.TrimLeft(string(v.m.Text()), "\ufeff \t\r\n")
		if strings.HasPrefix(t, "{") {
			return formCFNJSON
		}
		return formCFNYAML
	}
	return formOther
}

// lineAt returns the start and end (before the line end) of the line
// holding off, and its indentation.
func (v *view) lineAt(off int) (start, end int, indent string) {
	text := v.m.Text()
	start = off
	for start > 0 && text[start-1] != '\n' {
		start--
	}
	end = off
	for end < len(text) && text[end] != '\n' && text[end] != '\r' {
		end++
	}
	i := start
	for i < end && (text[i] == ' ' || text[i] == '\t') {
		i++
	}
	return start, end, string(text[start:i])
}

// fixes returns the quick fixes of one finding.
func (v *view) fixes(f policies.Finding) []protocol.CodeAction {
	n := v.snap.Graph.Node(f.Resource.ID)
	var out []protocol.CodeAction
	if n == nil {
		return nil
	}
	fm := v.form(n)
	switch f.RuleID {
	case "rds-multi-az":
		if n.Meta().Kind == graph.KindDBInstance {
			out = append(out, v.setAttr(n, fm, f, "multi_az", "MultiAZ", "true")...)
		}
	case "rds-private":
		if n.Meta().Kind == graph.KindDBInstance {
			out = append(out, v.setAttr(n, fm, f, "publicly_accessible", "PubliclyAccessible", "false")...)
		}
	case "admin-ports-open-to-world", "ssh-via-bastion-only", "sg-reference-between-tiers", "only-lb-public", "private-app-tier":
		out = append(out, v.sourceGroup(f, fm)...)
	}
	if a, ok := v.suppress(f, n, fm); ok {
		out = append(out, a)
	}
	return out
}

// suppress adds `# vpcgate:ignore <rule> <reason>` above the resource.
func (v *view) suppress(f policies.Finding, n graph.Node, fm form) (protocol.CodeAction, bool) {
	if fm != formTerraform && fm != formCFNYAML {
		return protocol.CodeAction{}, false
	}
	r := n.Meta().Source.Range
	if absFile(v.w.root, r.File) != v.path {
		return protocol.CodeAction{}, false
	}
	start, _, indent := v.lineAt(v.m.Offset(r.Start))
	text := fmt.Sprintf("%s# vpcgate:ignore %s <reason>\n", indent, f.RuleID)
	return v.action(fmt.Sprintf("Suppress %s on %s (write the reason)", f.RuleID, label(n)), false, edit{start, start, text}), true
}

var (
	tfAttr = func(name string) *regexp.Regexp {
		return regexp.MustCompile(`(?m)^([ \t]*` + name + `[ \t]*=[ \t]*)[^\r\n#]*`)
	}
	cfnAttr = func(name string) *regexp.Regexp {
		return regexp.MustCompile(`(?m)^([ \t]*"?` + name + `"?[ \t]*:[ \t]*)("?)[^\r\n,#}]*?("?)([ \t]*(?:,|#|\r?\n|$))`)
	}
)

// setAttr sets a resource attribute to value: the attribute is rewritten
// where written, else added as the block's first line.
func (v *view) setAttr(n graph.Node, fm form, f policies.Finding, tfName, cfnName, value string) []protocol.CodeAction {
	r := n.Meta().Source.Range
	if absFile(v.w.root, r.File) != v.path {
		return nil
	}
	bs, be := v.m.Offset(r.Start), v.m.Offset(r.End)
	block := string(v.m.Text()[bs:be])
	switch fm {
	case formTerraform:
		title := fmt.Sprintf("Set %s = %s", tfName, value)
		if loc := tfAttr(tfName).FindStringSubmatchIndex(block); loc != nil {
			return []protocol.CodeAction{v.action(title, true, edit{bs + loc[3], bs + loc[1], value})}
		}
		open := strings.IndexByte(block, '{')
		if open < 0 {
			return nil
		}
		_, _, indent := v.lineAt(bs)
		return []protocol.CodeAction{v.action(title, true, edit{bs + open + 1, bs + open + 1, "\n" + indent + "  " + tfName + " = " + value})}
	case formCFNYAML, formCFNJSON:
		title := fmt.Sprintf("Set %s: %s", cfnName, value)
		if loc := cfnAttr(cfnName).FindStringSubmatchIndex(block); loc != nil {
			return []protocol.CodeAction{v.action(title, true, edit{bs + loc[3], bs + loc[8], value})}
		}
		props := regexp.MustCompile(`(?m)^([ \t]*)"?Properties"?[ \t]*:[ \t]*\{?`).FindStringSubmatchIndex(block)
		if props == nil {
			return nil
		}
		at := bs + props[1]
		if fm == formCFNJSON {
			return []protocol.CodeAction{v.action(title, true, edit{at, at, fmt.Sprintf(" %q: %s,", cfnName, value)})}
		}
		indent := block[props[2]:props[3]] + "  "
		return []protocol.CodeAction{v.action(title, true, edit{at, at, "\n" + indent + cfnName + ": " + value})}
	}
	return nil
}

var (
	worldCIDR    = regexp.MustCompile(`"(0\.0\.0\.0/0|::/0)"`)
	tfCIDRList   = regexp.MustCompile(`(?m)^([ \t]*)(cidr_blocks|ipv6_cidr_blocks)[ \t]*=[ \t]*\[[^\]]*\]`)
	tfCIDRSingle = regexp.MustCompile(`(?m)^([ \t]*)(cidr_ipv4|cidr_ipv6)[ \t]*=[ \t]*"(0\.0\.0\.0/0|::/0)"`)
	cfnCIDR      = regexp.MustCompile(`(?m)("?)(CidrIp|CidrIpv6)("?[ \t]*:[ \t]*)("?)(0\.0\.0\.0/0|::/0)("?)`)
)

// sourceGroup replaces a world source with the security group that fits:
// the bastion's group for SSH and RDP, the internet-facing load
// balancer's group otherwise.
func (v *view) sourceGroup(f policies.Finding, fm form) []protocol.CodeAction {
	loc := f.Location()
	if absFile(v.w.root, loc.File) != v.path || fm == formOther {
		return nil
	}
	s, e := v.m.Offset(loc.Start), v.m.Offset(loc.End)
	ls, _, _ := v.lineAt(s)
	_, le, _ := v.lineAt(max(e-1, s))
	text := string(v.m.Text()[ls:le])
	admin := f.RuleID == "ssh-via-bastion-only" || f.RuleID == "admin-ports-open-to-world"
	want := graph.TierEdge
	who := "the load balancer's"
	if admin {
		want, who = graph.TierBastion, "the bastion's"
	}
	sg := v.groupOfTier(want, f.Resource.ID)
	if sg == nil {
		return nil
	}
	ref, ok := v.reference(sg, fm)
	if !ok {
		return nil
	}
	title := fmt.Sprintf("Admit %s security group (%s) instead of the world", who, label(sg))
	switch fm {
	case formTerraform:
		if m := tfCIDRList.FindStringSubmatchIndex(text); m != nil && worldCIDR.MatchString(text[m[0]:m[1]]) {
			attr := "security_groups = [" + ref + "]"
			if v.resourceTypeAt(s) == "aws_security_group_rule" {
				attr = "source_security_group_id = " + ref
			}
			return []protocol.CodeAction{v.action(title, true, edit{ls + m[3], ls + m[1], attr})}
		}
		if m := tfCIDRSingle.FindStringSubmatchIndex(text); m != nil {
			return []protocol.CodeAction{v.action(title, true, edit{ls + m[3], ls + m[1], "referenced_security_group_id = " + ref})}
		}
	case formCFNYAML, formCFNJSON:
		if m := cfnCIDR.FindStringSubmatchIndex(text); m != nil {
			key := "SourceSecurityGroupId"
			if fm == formCFNJSON {
				return []protocol.CodeAction{v.action(title, true, edit{ls + m[0], ls + m[1], `"` + key + `": ` + ref})}
			}
			return []protocol.CodeAction{v.action(title, true, edit{ls + m[0], ls + m[1], key + ": " + ref})}
		}
	}
	return nil
}

// tfResource matches the header of a top-level Terraform resource block.
var tfResource = regexp.MustCompile(`(?m)^resource[ \t]+"([^"]+)"`)

// resourceTypeAt returns the type of the Terraform resource block that
// holds byte offset off: the last resource header before it (a rule
// written as its own resource is no node of the graph: the reader folds
// it into its security group).
func (v *view) resourceTypeAt(off int) string {
	text := v.m.Text()[:off]
	all := tfResource.FindAllSubmatchIndex(text, -1)
	if len(all) == 0 {
		return ""
	}
	last := all[len(all)-1]
	return string(text[last[2]:last[3]])
}

// groupOfTier returns the security group of a node of tier t in the same
// file's stack or module, other than group exclude.
func (v *view) groupOfTier(t graph.Tier, exclude string) graph.Node {
	var ids []string
	for id, f := range v.snap.Graph.Facts.Nodes {
		if f.Tier == t && len(f.SecurityGroups) > 0 {
			ids = append(ids, id)
		}
	}
	// Deterministic: prefer a node of this file, then by id.
	best := ""
	var bestSG graph.Node
	for _, id := range ids {
		n := v.snap.Graph.Node(id)
		if n == nil {
			continue
		}
		for _, g := range v.snap.Graph.Facts.Nodes[id].SecurityGroups {
			if g == exclude {
				continue
			}
			sg := v.snap.Graph.Node(g)
			if sg == nil || absFile(v.w.root, sg.Meta().Source.Range.File) != v.path {
				continue
			}
			if best == "" || id < best {
				best, bestSG = id, sg
			}
			break
		}
	}
	return bestSG
}

// reference is how the file names group sg.
func (v *view) reference(sg graph.Node, fm form) (string, bool) {
	addr := sg.Meta().Source.Address
	if addr == "" {
		return "", false
	}
	switch fm {
	case formTerraform:
		if strings.HasPrefix(addr, "module.") || !strings.HasPrefix(addr, "aws_security_group.") {
			return "", false
		}
		if i := strings.IndexByte(addr, '['); i >= 0 {
			return "", false
		}
		return addr + ".id", true
	case formCFNYAML:
		return "!Ref " + addr, true
	case formCFNJSON:
		return `{"Ref": "` + addr + `"}`, true
	}
	return "", false
}
