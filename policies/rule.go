package policies

import (
	"fmt"
	"sort"
	"strings"

	"github.com/open-policy-agent/opa/v1/ast"
)

// Rule describes one rule, from its METADATA block.
type Rule struct {
	// ID is custom.id, the name users select, skip and suppress by.
	ID          string   `json:"id"`
	Title       string   `json:"title"`
	Description string   `json:"description"`
	Severity    Severity `json:"severity"`
	Remediation string   `json:"remediation"`
	// Category is the package component after vpcgate.rules ("network",
	// "firewall"…), or custom.category.
	Category         string            `json:"category"`
	RelatedResources []RelatedResource `json:"related_resources,omitempty"`
	// Package is the rule's Rego package ("data.vpcgate.rules.network.x").
	Package string `json:"package"`
	// File is the module the rule is written in.
	File string `json:"file"`
	// Builtin is true for the rules embedded in vpcgate.
	Builtin bool `json:"builtin"`
}

// RelatedResource is a link from a rule's documentation.
type RelatedResource struct {
	URL         string `json:"url"`
	Description string `json:"description,omitempty"`
}

// HelpURI returns the first related resource, or "".
func (r Rule) HelpURI() string {
	if len(r.RelatedResources) > 0 {
		return r.RelatedResources[0].URL
	}
	return ""
}

// ruleFromModule reads the package METADATA of m. ok is false for modules
// that declare no rule (helpers: no deny set and no custom.id); an error
// means a rule is declared badly, a deny set without a custom.id included
// (it would never run).
func ruleFromModule(m *ast.Module, builtin bool) (Rule, bool, error) {
	var pkg *ast.Annotations
	for _, a := range m.Annotations {
		if a.Scope == "package" || a.Scope == "subpackages" {
			pkg = a
			break
		}
	}
	file := m.Package.Location.File
	hasDeny := false
	for _, r := range m.Rules {
		if r.Head.Name.String() == "deny" || (len(r.Head.Reference) > 0 && r.Head.Reference[0].Value.Compare(ast.Var("deny")) == 0) {
			hasDeny = true
		}
	}
	if pkg == nil || pkg.Custom == nil || pkg.Custom["id"] == nil {
		if hasDeny {
			return Rule{}, false, fmt.Errorf("%s: package %s declares a deny rule but no custom.id in its package METADATA block, so it would never run; give it an id (see policies/README.md)", file, strings.TrimPrefix(m.Package.Path.String(), "data."))
		}
		return Rule{}, false, nil
	}
	id, _ := pkg.Custom["id"].(string)
	if id == "" || strings.ContainsAny(id, " \t\n*?[") {
		return Rule{}, false, fmt.Errorf("%s: custom.id must be a plain rule name, got %v", file, pkg.Custom["id"])
	}
	sevName, _ := pkg.Custom["severity"].(string)
	sev, err := ParseSeverity(sevName)
	if err != nil {
		return Rule{}, false, fmt.Errorf("%s: rule %s: custom.severity: %w", file, id, err)
	}
	if !hasDeny {
		return Rule{}, false, fmt.Errorf("%s: rule %s declares no deny rule", file, id)
	}
	r := Rule{
		ID:          id,
		Title:       pkg.Title,
		Description: strings.TrimSpace(pkg.Description),
		Severity:    sev,
		Package:     m.Package.Path.String(),
		File:        file,
		Builtin:     builtin,
	}
	r.Remediation, _ = pkg.Custom["remediation"].(string)
	r.Remediation = strings.TrimSpace(r.Remediation)
	r.Category, _ = pkg.Custom["category"].(string)
	if r.Category == "" {
		path := m.Package.Path
		if len(path) > 3 && path[1].Value.Compare(ast.String("vpcgate")) == 0 && path[2].Value.Compare(ast.String("rules")) == 0 {
			if s, ok := path[3].Value.(ast.String); ok {
				r.Category = string(s)
			}
		}
	}
	if r.Title == "" {
		return Rule{}, false, fmt.Errorf("%s: rule %s has no title", file, id)
	}
	for _, rr := range pkg.RelatedResources {
		r.RelatedResources = append(r.RelatedResources, RelatedResource{URL: rr.Ref.String(), Description: rr.Description})
	}
	return r, true, nil
}

func sortRules(rs []Rule) {
	sort.Slice(rs, func(i, j int) bool { return rs[i].ID < rs[j].ID })
}
