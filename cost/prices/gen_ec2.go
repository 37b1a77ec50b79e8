//go:build ignore

// gen_ec2 writes ec2_generated.json, the EC2 on-demand prices of the
// embedded catalog, from the dated table in
// github.com/aws/karpenter-provider-aws (see package ec2table). Run it with
// go generate ./cost/prices; it needs the Go module proxy once.
package main

import (
	"fmt"
	"os"

	"github.com/vpcgate/vpcgate/cost/prices/internal/ec2table"
)

func main() {
	out, err := ec2table.Generate()
	if err != nil {
		fmt.Fprintln(os.Stderr, "gen_ec2:", err)
		os.Exit(1)
	}
	if err := os.WriteFile("ec2_generated.json", out, 0o644); err != nil {
		fmt.Fprintln(os.Stderr, "gen_ec2:", err)
		os.Exit(1)
	}
}
