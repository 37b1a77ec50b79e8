package terraform

import (
	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/zclconf/go-cty/cty"
)

// providerConfig is a provider "aws" block of a module.
type providerConfig struct {
	alias string // "" for the default configuration
	block *hclsyntax.Block
	file  *file
}

// addProvider records a provider "aws" block (other providers do not
// place AWS resources).
func (m *moduleConfig) addProvider(f *file, b *hclsyntax.Block) {
	if len(b.Labels) != 1 || b.Labels[0] != "aws" {
		return
	}
	p := &providerConfig{block: b, file: f}
	if a, ok := b.Body.Attributes["alias"]; ok {
		if v, d := a.Expr.Value(nil); !d.HasErrors() && v.IsKnown() && !v.IsNull() && v.Type() == cty.String {
			p.alias = v.AsString()
		}
	}
	m.providers = append(m.providers, p)
}

// providerRef returns the aws provider alias a resource block names with
// provider = aws.<alias> ("" for the default configuration), and false
// when it names another provider.
func providerRef(b *hclsyntax.Block) (string, bool) {
	a, ok := b.Body.Attributes["provider"]
	if !ok {
		return "", true
	}
	return awsRef(a.Expr)
}

// awsRef reads a provider reference: aws or aws.<alias>.
func awsRef(e hcl.Expression) (string, bool) {
	tr, diags := hcl.AbsTraversalForExpr(e)
	if diags.HasErrors() || len(tr) == 0 || tr.RootName() != "aws" {
		return "", false
	}
	if len(tr) == 1 {
		return "", true
	}
	if at, ok := tr[1].(hcl.TraverseAttr); ok && len(tr) == 2 {
		return at.Name, true
	}
	return "", false
}

// providerRegion returns the region the aws provider configuration alias
// ("" for the default) of module instance m sets: its own provider block,
// else what the calling module passes in providers = {…} (the default
// configuration is inherited when the call passes none). "" when nothing
// in the configuration says.
func (m *modInst) providerRegion(alias string) string {
	for depth := 0; m != nil && depth <= maxModuleDepth; depth++ {
		if r, ok := m.providerRegions[alias]; ok {
			return r
		}
		for _, p := range m.cfg.providers {
			if p.alias != alias {
				continue
			}
			r := ""
			if a, ok := p.block.Body.Attributes["region"]; ok {
				if v := m.eval(a.Expr, nil, p.file); v.IsKnown() && !v.IsNull() && v.Type() == cty.String {
					r = v.AsString()
				}
			}
			m.providerRegions[alias] = r
			return r
		}
		if m.parent == nil || m.call == nil {
			return ""
		}
		passed, explicit := m.passedProvider(alias)
		if !explicit {
			if alias != "" {
				return ""
			}
			passed = "" // the default configuration is inherited
		}
		alias, m = passed, m.parent
	}
	return ""
}

// passedProvider reads the module call's providers = { aws.<alias> =
// aws.<parent alias> } for alias; explicit is false when the call does not
// pass it.
func (m *modInst) passedProvider(alias string) (parent string, explicit bool) {
	a, ok := m.call.block.Body.Attributes["providers"]
	if !ok {
		return "", false
	}
	obj, ok := a.Expr.(*hclsyntax.ObjectConsExpr)
	if !ok {
		return "", false
	}
	for _, it := range obj.Items {
		k := it.KeyExpr
		if w, ok := k.(*hclsyntax.ObjectConsKeyExpr); ok {
			k = w.Wrapped
		}
		ka, ok := awsRef(k)
		if !ok || ka != alias {
			continue
		}
		if va, ok := awsRef(it.ValueExpr); ok {
			return va, true
		}
		return "", false
	}
	return "", false
}
