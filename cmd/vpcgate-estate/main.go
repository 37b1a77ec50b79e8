// Command vpcgate-estate writes a synthetic AWS estate as describe dumps (the AWS CLI's JSON for
// ec2, elbv2, autoscaling and rds describe commands) for benchmarks and experiments:
//
//	vpcgate-estate -instances 10000 -out /tmp/estate-10k [-seed 1]
//
// The same seed gives byte-identical files. Scan the result with `vpcgate scan DIR`.
package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"time"

	"github.com/vpcgate/vpcgate/internal/estate"
)

// Exit codes.
const (
	exitOK    = 0
	exitError = 1
	exitUsage = 2
)

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

// run parses args, writes the estate and reports on stdout; errors go to stderr.
func run(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("vpcgate-estate", flag.ContinueOnError)
	fs.SetOutput(stderr)
	instances := fs.Int("instances", 1000, "number of EC2 instances (one VPC per 2,000)")
	out := fs.String("out", "", "directory to write the describe dumps into (created if missing)")
	seed := fs.Int64("seed", 1, "seed selecting the estate; the same seed gives the same files")
	perFile := fs.Int("per-file", estate.DefaultItemsPerFile, "items of one command per file before it is split")
	region := fs.String("region", estate.DefaultRegion, "AWS region of every resource")
	account := fs.String("account", estate.DefaultAccount, "12-digit owner account id")
	fs.Usage = func() {
		fmt.Fprintln(stderr, "usage: vpcgate-estate -instances N -out DIR [-seed N] [-per-file N] [-region R] [-account ID]")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return exitOK
		}
		return exitUsage
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(stderr, "vpcgate-estate: unexpected argument %q\n", fs.Arg(0))
		fs.Usage()
		return exitUsage
	}
	if *out == "" {
		fmt.Fprintln(stderr, "vpcgate-estate: -out is required")
		fs.Usage()
		return exitUsage
	}
	start := time.Now()
	st, err := estate.Write(*out, estate.Options{
		Instances: *instances, Seed: *seed, ItemsPerFile: *perFile, Region: *region, Account: *account,
	})
	if err != nil {
		fmt.Fprintf(stderr, "vpcgate-estate: %v\n", err)
		return exitError
	}
	fmt.Fprintf(stdout, "wrote %d files, %.1f MB, to %s in %s\n", st.Files, float64(st.Bytes)/1e6, *out, time.Since(start).Round(time.Millisecond))
	fmt.Fprintf(stdout, "%d instances, %d VPCs, %d subnets, %d route tables, %d NAT gateways, %d security groups (%d rules), %d network interfaces\n",
		st.Instances, st.VPCs, st.Subnets, st.RouteTables, st.NATGateways, st.SecurityGroups, st.SecurityGroupRules, st.NetworkInterfaces)
	fmt.Fprintf(stdout, "%d load balancers, %d listeners, %d target groups, %d Auto Scaling groups, %d launch templates, %d RDS instances\n",
		st.LoadBalancers, st.Listeners, st.TargetGroups, st.AutoScalingGroups, st.LaunchTemplates, st.DBInstances)
	return exitOK
}
