package cost_test

import (
	"bytes"
	"path/filepath"
	"testing"

	"github.com/vpcgate/vpcgate/cost"
	"github.com/vpcgate/vpcgate/cost/prices"
)

// TestTerraformGolden prices two Terraform configurations: a stack in
// eu-west-1 (its provider block) with EBS of several types, a
// mixed-instances group and a classic load balancer, and one spread over
// us-east-1, us-west-2 (an alias, used by a resource and passed to a
// module) and ap-northeast-1 (no prices: us-east-1's, with a warning).
// Every format is golden; the figures that matter are checked by hand.
func TestTerraformGolden(t *testing.T) {
	t.Parallel()
	cat, err := prices.Default()
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		// want: "resource-name component [detail]" → monthly, by hand.
		want    map[string]string
		regions map[string]string // resource name → region
	}{
		{
			name: "eu-stack",
			want: map[string]string{
				"eu-db compute [r5.large × 1]":                                               "102.93", // 730 × ~0.141 (eu-west-1)
				"eu-db ebs_storage [root gp3]":                                               "2.64",   // 30 × ~0.088
				"eu-db ebs_storage [/dev/sdf io1]":                                           "25.00",  // 200 × 0.125 (us-east-1's, warned)
				"eu-db ebs_iops [/dev/sdf io1 IOPS-month 3000]":                              "195.00", // 3,000 × 0.065
				"eu-web-asg compute [m5.large × 2 on-demand (base 2 + 50% above, weight 2)]": "156.22", // 6 units: 2 + ⌈4 × 50%⌉ = 4 units = 2 × 730 × ~0.107
				"eu-web-asg detailed_monitoring":                                             "6.30",   // 3 instances × 2.10
				"eu-web-asg ebs_storage [/dev/xvda gp3]":                                     "13.20",  // 3 × 50 × ~0.088
				"eu-web-asg ebs_iops [/dev/xvda gp3 IOPS-month 1000]":                        "15.00",  // 3 × (4,000 − 3,000) × 0.005
				"eu-archive ebs_storage [st1]":                                               "22.50",  // 500 × 0.045
				"eu-web-clb load_balancer_hours [classic]":                                   "20.44",  // 730 × ~0.028 (eu-west-1)
				"eu-web-clb public_ipv4 [2 AZ]":                                              "7.30",   // 2 × 730 × 0.005
			},
			regions: map[string]string{"eu-db": "eu-west-1", "eu-web-asg": "eu-west-1"},
		},
		{
			name: "two-regions",
			want: map[string]string{
				"east-app compute [t3.medium × 1]": "30.37", // 730 × 0.0416 (generated table)
				"east-app ebs_storage [root gp2]":  "2.00",  // 20 × 0.10
				"west-app compute [t3.medium × 1]": "30.37", // ~0.0416 in us-west-2
				"west-app ebs_storage [root gp3]":  "1.60",  // 20 × ~0.08
				"west-nat nat_gateway_hours":       "32.85",
				"tokyo-nat nat_gateway_hours":      "32.85", // us-east-1's price, warned
				"tokyo-nat-eip public_ipv4":        "3.65",
			},
			regions: map[string]string{"east-app": "us-east-1", "west-app": "us-west-2", "west-nat": "us-west-2", "tokyo-nat": "ap-northeast-1", "tokyo-nat-eip": "ap-northeast-1"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			res := analyze(t, filepath.Join("testdata", "terraform", tt.name))
			rep, err := cost.Estimate(res.Graph, cost.Options{Catalog: cat})
			if err != nil {
				t.Fatal(err)
			}
			for _, f := range cost.Formats() {
				var buf bytes.Buffer
				if err := cost.Write(&buf, rep, f); err != nil {
					t.Fatal(err)
				}
				ext := map[string]string{cost.FormatTable: "txt", cost.FormatJSON: "json", cost.FormatCSV: "csv", cost.FormatMarkdown: "md"}[f]
				goldenFile(t, "terraform-"+tt.name+"."+ext, buf.Bytes())
				if !rep.HasEstimates() {
					continue
				}
				if !bytes.Contains(buf.Bytes(), []byte("~")) || !bytes.Contains(buf.Bytes(), []byte("estimate")) {
					t.Errorf("%s: estimates without ~ and a footnote", f)
				}
			}
			got := map[string]string{}
			regionOf := map[string]string{}
			classic := false
			for _, r := range rep.Resources {
				regionOf[r.Name] = r.Region
				for _, c := range r.Components {
					k := r.Name + " " + c.Name
					if c.Detail != "" {
						k += " [" + c.Detail + "]"
					}
					if c.Monthly != nil {
						got[k] = c.Monthly.StringFixed(2)
					}
					if c.Name == cost.CompLBHours && c.Detail == "classic" {
						classic = true
						// 730 × ~0.028 (eu-west-1 classic hour)
						if c.Monthly.StringFixed(2) != "20.44" {
							t.Errorf("classic load balancer hours = %s, want 20.44", c.Monthly.StringFixed(2))
						}
					}
				}
			}
			for k, w := range tt.want {
				if got[k] != w {
					t.Errorf("%s = %q, want %s", k, got[k], w)
				}
			}
			for name, region := range tt.regions {
				if regionOf[name] != region {
					t.Errorf("%s priced in %q, want %s", name, regionOf[name], region)
				}
			}
			if tt.name == "eu-stack" && !classic {
				t.Error("the configuration's classic load balancer (aws_elb) is not priced")
			}
		})
	}
}
