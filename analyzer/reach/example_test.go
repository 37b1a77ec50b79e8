package reach_test

import (
	"fmt"

	"github.com/vpcgate/vpcgate/analyzer/graph"
	"github.com/vpcgate/vpcgate/analyzer/reach"
)

// A web server in a public subnet admitting SSH from anywhere: Derive
// finds the exposure, Explain tells the path of SSH and what stops HTTP.
func ExampleExplain() {
	g := graph.New()
	g.Add(&graph.VPC{Base: graph.Base{ID: "vpc-1", Kind: graph.KindVPC}, CIDRBlocks: []string{"10.0.0.0/16"}})
	g.Add(&graph.InternetGateway{Base: graph.Base{ID: "igw-1", Kind: graph.KindInternetGateway}, VPCIDs: []string{"vpc-1"}})
	g.Add(&graph.Subnet{Base: graph.Base{ID: "subnet-1", Kind: graph.KindSubnet}, VPCID: "vpc-1", CIDRBlock: "10.0.1.0/24"})
	g.Add(&graph.RouteTable{Base: graph.Base{ID: "rtb-1", Kind: graph.KindRouteTable}, VPCID: "vpc-1", Main: true, Routes: []graph.Route{
		{DestinationCIDR: "10.0.0.0/16", TargetKind: graph.TargetLocal, TargetID: "local"},
		{DestinationCIDR: "0.0.0.0/0", TargetKind: graph.TargetIGW, TargetID: "igw-1"},
	}})
	g.Add(&graph.SecurityGroup{Base: graph.Base{ID: "sg-1", Kind: graph.KindSecurityGroup}, VPCID: "vpc-1", Ingress: []graph.SGRule{
		{Protocol: "tcp", FromPort: 22, ToPort: 22, PeerKind: graph.PeerCIDR, Peer: "0.0.0.0/0"},
	}})
	g.Add(&graph.Instance{Base: graph.Base{ID: "i-1", Kind: graph.KindInstance}, State: "running", SubnetID: "subnet-1", PublicIP: "54.0.0.1", SecurityGroups: []string{"sg-1"}})

	reach.Derive(g)
	fmt.Println("subnet class:", g.Facts.Subnets["subnet-1"].Class)
	for _, e := range g.Facts.Nodes["i-1"].InternetReachable {
		fmt.Println("exposed:", e.Protocol, e.FromPort, e.ToPort, e.Via)
	}
	v, _ := reach.Explain(g, "i-1", "tcp", 22)
	for _, h := range v.Path {
		fmt.Printf("  %s %s\n", h.Kind, h.Node)
	}
	v, _ = reach.Explain(g, "i-1", "tcp", 80)
	fmt.Println("http:", v.BlockedBy.Code, "at", v.BlockedBy.Node)
	// Output:
	// subnet class: public
	// exposed: tcp 22 22 direct
	//   internet internet
	//   internet_gateway igw-1
	//   route_table rtb-1
	//   subnet subnet-1
	//   security_group sg-1
	//   instance i-1
	// http: ENI_SG_RULES_MISMATCH at sg-1
}
