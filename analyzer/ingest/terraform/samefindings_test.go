package terraform_test

import (
	"context"
	"path/filepath"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/vpcgate/vpcgate/internal/formcheck"
	"github.com/vpcgate/vpcgate/policies"
)

const root = "../../.."

// TestSameFindingsAsDescribe checks that each architecture written as
// Terraform gives the same findings (rule, kind, resource) as the describe
// dump of the same architecture built on moto.
func TestSameFindingsAsDescribe(t *testing.T) {
	t.Parallel()
	eng, err := policies.New(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	for _, arch := range []string{"basic", "improved", "production"} {
		t.Run(arch, func(t *testing.T) {
			want := formcheck.FindingKeys(t, eng, filepath.Join(root, "testdata", "describe", arch))
			got := formcheck.FindingKeys(t, eng, filepath.Join(root, "examples", "terraform", arch))
			if len(want) == 0 {
				t.Fatalf("the describe fixture of %s gives no findings", arch)
			}
			t.Logf("%d findings: %v", len(got), got)
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("findings differ (-describe +terraform):\n%s", diff)
			}
		})
	}
}
