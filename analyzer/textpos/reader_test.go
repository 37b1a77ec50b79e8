package textpos_test

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/vpcgate/vpcgate/analyzer"
	"github.com/vpcgate/vpcgate/analyzer/textpos"
)

// TestReaderRanges maps the ranges the real readers report for files with
// a byte order mark, CRLF line ends, CJK names and emoji tags.
func TestReaderRanges(t *testing.T) {
	dir := t.TempDir()
	tf := "\xef\xbb\xbf# 東京 🙂\r\nresource \"aws_vpc\" \"東京\" {\r\n  cidr_block = \"10.0.0.0/16\"\r\n  tags = { Name = \"🙂🙂\" }\r\n}\r\n" +
		"resource \"aws_subnet\" \"サブ\" { vpc_id = aws_vpc.東京.id\r\n  cidr_block = \"10.0.1.0/24\" }\r\n"
	cfn := "\xef\xbb\xbfAWSTemplateFormatVersion: \"2010-09-09\"\r\n# 🙂 東京\r\nResources:\r\n  東京VPC:\r\n    Type: AWS::EC2::VPC\r\n    Properties: { CidrBlock: 10.1.0.0/16, Tags: [{ Key: Name, Value: \"🙂\" }] }\r\n"
	if err := os.MkdirAll(filepath.Join(dir, "tf"), 0o755); err != nil {
		t.Fatal(err)
	}
	files := map[string]string{"tf/main.tf": tf, "cfn.yaml": cfn}
	for name, text := range files {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	ctx := context.Background()
	eng, err := analyzer.NewEngine(ctx, analyzer.WithParts(analyzer.PartGraph))
	if err != nil {
		t.Fatal(err)
	}
	snap, err := eng.Analyze(ctx, analyzer.Request{Paths: []string{dir}})
	if err != nil {
		t.Fatal(err)
	}
	// Where an editor shows each block's start (UTF-16, BOM not shown).
	want := map[string]textpos.Span{
		"aws_vpc.東京":    {Start: textpos.Position{Line: 1, Character: 0}, End: textpos.Position{Line: 4, Character: 1}},
		"aws_subnet.サブ": {Start: textpos.Position{Line: 5, Character: 0}, End: textpos.Position{Line: 6, Character: 30}},
		"東京VPC":         {Start: textpos.Position{Line: 3, Character: 2}},
	}
	found := 0
	for _, n := range snap.Graph.Nodes() {
		src := n.Meta().Source
		w, ok := want[src.Address]
		if !ok {
			continue
		}
		found++
		data, err := os.ReadFile(src.Range.File)
		if err != nil {
			t.Fatal(err)
		}
		m := textpos.New(data)
		got := m.Span(src.Range, textpos.UTF16)
		if got.Start != w.Start || (w.End != textpos.Position{} && got.End != w.End) {
			t.Errorf("%s: %s maps to %+v, want %+v", src.Address, src.Range, got, w)
		}
		if back := m.ByteOffset(got.Start, textpos.UTF16); back != src.Range.Start.Byte {
			t.Errorf("%s: back to byte %d, want %d", src.Address, back, src.Range.Start.Byte)
		}
	}
	if found != len(want) {
		t.Errorf("found %d of the %d resources", found, len(want))
	}
}
