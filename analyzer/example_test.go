package analyzer_test

import (
	"context"
	"fmt"
	"log"

	"github.com/vpcgate/vpcgate/analyzer"
)

// Analyze the production fixture (describe dumps made on moto) and list
// its public subnets (in subnet id order) and what the internet reaches
// directly.
func ExampleAnalyze() {
	res, err := analyzer.Analyze(context.Background(), analyzer.Options{
		Paths: []string{"../testdata/describe/production"},
	})
	if err != nil {
		log.Fatal(err)
	}
	g := res.Graph
	for _, s := range g.Subnets() {
		if g.Facts.Subnets[s.ID].Public {
			fmt.Println("public subnet", s.CIDRBlock, s.AvailabilityZone)
		}
	}
	for _, lb := range g.LoadBalancers() {
		for _, e := range g.Facts.Nodes[lb.ID].InternetReachable {
			fmt.Printf("%s reachable on %s/%d\n", lb.Name, e.Protocol, e.FromPort)
		}
	}
	for _, i := range g.Instances() {
		for _, e := range g.Facts.Nodes[i.ID].InternetReachable {
			if e.Via == "direct" {
				fmt.Printf("%s reachable directly on %s/%d\n", i.Name, e.Protocol, e.FromPort)
			}
		}
	}
	// Output:
	// public subnet 10.0.2.0/24 us-east-1b
	// public subnet 10.0.1.0/24 us-east-1a
	// prod-alb reachable on tcp/80
	// prod-alb reachable on tcp/443
	// bastion reachable directly on tcp/22
}
