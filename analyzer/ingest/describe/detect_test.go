package describe

import (
	"context"
	"github.com/vpcgate/vpcgate/analyzer/ingest"
	"testing"
	"time"
)

func TestDetect(t *testing.T) {
	t.Parallel()
	tests := []struct {
		data string
		want bool
	}{
		{`{"Vpcs": []}`, true},
		{"\ufeff\n  {\n \"SecurityGroups\": [{}]}", true},
		{`{"services": [], "failures": []}`, true},
		{`{"LoadBalancers": []}`, true},
		{`{"LoadBalancerDescriptions": []}`, true},
		{`{"TargetGroupArn": "arn:aws:elasticloadbalancing:us-east-1:1:targetgroup/a/b", "TargetHealthDescriptions": []}`, true},
		{`{"PrefixListId": "pl-1", "Entries": [`, true},
		{`{"NextToken": "abc", "Reservations": []}`, true},
		{`{"Reservations": [`, true}, // only the start is read
		{`{"Buckets": []}`, false},
		{`{"NextToken": "abc", "Buckets": []}`, false},
		{`{}`, false},
		{`[]`, false},
		{``, false},
		{`{"AWSTemplateFormatVersion": "2010-09-09", "Resources": {}}`, false},
		{`{"format_version": "1.2", "resource_changes": []}`, false},
		{`{"NextToken": `, false},
		{`{"Vpcs`, false},
	}
	for _, tt := range tests {
		if got := Detect([]byte(tt.data)); got != tt.want {
			t.Errorf("Detect(%q) = %v, want %v", tt.data, got, tt.want)
		}
	}
}

func TestParseTime(t *testing.T) {
	t.Parallel()
	want := time.Date(2024, 5, 2, 10, 11, 12, 0, time.UTC)
	tests := []string{
		"2024-05-02T10:11:12Z",
		"2024-05-02T10:11:12+00:00",
		"2024-05-02T10:11:12.000Z",
		"2024-05-02T10:11:12.000000+00:00",
		"2024-05-02 10:11:12+00:00",
		"2024-05-02T10:11:12+0000",
		"2024-05-02 10:11:12+0000",
		"2024-05-02T12:11:12+0200",
		"2024-05-02T10:11:12",
		"2024-05-02 10:11:12",
		"2024-05-02 10:11:12.000",
		"2024-05-02T10:11:12 UTC",
	}
	for _, s := range tests {
		got, err := parseTime(s)
		if err != nil {
			t.Errorf("parseTime(%q): %v", s, err)
			continue
		}
		if !got.Equal(want) {
			t.Errorf("parseTime(%q) = %v, want %v", s, got, want)
		}
	}
	for _, s := range []string{"", "yesterday", "2024-13-02T10:11:12Z", "10:11:12"} {
		if _, err := parseTime(s); err == nil {
			t.Errorf("parseTime(%q) accepted", s)
		}
	}
}

func TestTimestampFormsDecode(t *testing.T) {
	t.Parallel()
	// Each form in the field of a real SDK type; none may make the element
	// fail.
	for _, ts := range []string{`"2024-05-02T10:11:12Z"`, `"2024-05-02 10:11:12+0000"`, `"2024-05-02T10:11:12"`, `1714644672`, `1714644672.5`, `null`} {
		data := []byte(`{"NatGateways": [{"NatGatewayId": "nat-1", "CreateTime": ` + ts + `}]}`)
		g := Read(context.Background(), []File{{Path: "nat.json", Data: data}}, Options{})
		if len(g.Diagnostics) > 0 || g.Node("nat-1") == nil {
			t.Errorf("CreateTime %s: diagnostics %v", ts, g.Diagnostics)
		}
	}
}

func TestAccountAndRegion(t *testing.T) {
	t.Parallel()
	tests := []struct {
		path, account, region string
	}{
		{"dump/123456789012/us-east-1/ec2-describe-vpcs.json", "123456789012", "us-east-1"},
		{"/abs/210987654321/eu-central-2/sub/vpcs.json", "210987654321", "eu-central-2"},
		{"account-data/prod/us-gov-west-1/ec2-describe-vpcs.json", "", "us-gov-west-1"},
		{"ap-southeast-2/123456789012/x.json", "123456789012", "ap-southeast-2"},
		{"1234567890123/us-east-one/x.json", "", ""},
		{"123456789012.json", "", ""},
	}
	for _, tt := range tests {
		a, r := accountRegionOf(tt.path)
		if a != tt.account || r != tt.region {
			t.Errorf("accountRegionOf(%q) = %q, %q; want %q, %q", tt.path, a, r, tt.account, tt.region)
		}
	}
	data := []byte(`{"Vpcs": [{"VpcId": "vpc-1"}]}`)
	g := Read(context.Background(), []File{{Path: "flat/vpcs.json", Data: data}}, Options{Options: ingest.Options{Account: "111122223333", Region: "eu-west-1"}})
	src := g.Node("vpc-1").Meta().Source
	if src.Account != "111122223333" || src.Region != "eu-west-1" {
		t.Errorf("source %+v: want the defaults of Options", src)
	}
	g = Read(context.Background(), []File{{Path: "123456789012/us-west-2/vpcs.json", Data: data}}, Options{Options: ingest.Options{Account: "111122223333", Region: "eu-west-1"}})
	if src := g.Node("vpc-1").Meta().Source; src.Account != "123456789012" || src.Region != "us-west-2" {
		t.Errorf("source %+v: want the path to win over the defaults", src)
	}
}

func TestParentFromFileName(t *testing.T) {
	t.Parallel()
	arn := "arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/app-tg/73e2d6bc24d8a067"
	tgs := map[string]string{
		"x/arn%3Aaws%3Aelasticloadbalancing%3Aus-east-1%3A123456789012%3Atargetgroup%2Fapp-tg%2F73e2d6bc24d8a067":                                   arn,
		"x/elbv2-describe-target-health-arn%3Aaws%3Aelasticloadbalancing%3Aus-east-1%3A123456789012%3Atargetgroup%2Fapp-tg%2F73e2d6bc24d8a067.json": arn,
		"x/elbv2-describe-target-health.json":                  "",
		"x/arn%3Aaws%3Aec2%3Aus-east-1%3A1%3Avpc%2Fvpc-1.json": "",
	}
	for p, want := range tgs {
		if got := targetGroupARNFromName(p); got != want {
			t.Errorf("targetGroupARNFromName(%q) = %q, want %q", p, got, want)
		}
	}
	pls := map[string]string{
		"x/ec2-get-managed-prefix-list-entries-pl-0a1b2c3d.json": "pl-0a1b2c3d",
		"x/pl-63a5400a.json":       "pl-63a5400a",
		"x/entries.json":           "",
		"x/sample-pl-xyz.json":     "",
		"x/apl-0a1b.json":          "",
		"x/pl-0a1b2c3d-extra.json": "pl-0a1b2c3d",
		"x/pl-0a1b2c3dzz.json":     "",
	}
	for p, want := range pls {
		if got := prefixListIDFromName(p); got != want {
			t.Errorf("prefixListIDFromName(%q) = %q, want %q", p, got, want)
		}
	}
	if got := targetGroupNameOfARN(arn); got != "app-tg" {
		t.Errorf("targetGroupNameOfARN = %q", got)
	}
}
