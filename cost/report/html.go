package report

import (
	"bytes"
	_ "embed"
	"fmt"
	"html/template"
)

//go:embed report.html.tmpl
var htmlSource string

// page is parsed once; html/template escapes every value by its context.
var page = template.Must(template.New("report").Parse(htmlSource))

// MultiRegion reports whether the resources are priced in more than one
// region (the table then names each resource's).
func (r *Report) MultiRegion() bool {
	seen := ""
	for _, t := range r.Tiers {
		for _, res := range t.Resources {
			if seen != "" && res.Region != seen {
				return true
			}
			seen = res.Region
		}
	}
	return false
}

// Plot is the plot as inline SVG. The SVG is gonum's output: its text is
// XML-escaped there (scenario and group names included), it holds no
// script and refers to nothing outside itself.
func (r *Report) Plot() template.HTML {
	return template.HTML(r.svg) //nolint:gosec // generated SVG, text escaped by the SVG writer
}

func writeHTML(buf *bytes.Buffer, r *Report) error {
	if err := page.Execute(buf, r); err != nil {
		return fmt.Errorf("report: html: %w", err)
	}
	return nil
}
