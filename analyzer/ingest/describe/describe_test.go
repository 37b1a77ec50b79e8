package describe

import (
	"context"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/vpcgate/vpcgate/analyzer/graph"
)

// unitDir holds the small real-shaped inputs of the unit tests, in the
// CloudMapper layout <account>/<region>/.
const unitDir = "../../../testdata/describe/unit/123456789012/us-east-1"

// readFiles reads the named files of dir.
func readFiles(t testing.TB, dir string, names ...string) []File {
	t.Helper()
	var files []File
	for _, n := range names {
		p := filepath.Join(dir, n)
		data, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		files = append(files, File{Path: p, Data: data})
	}
	return files
}

// readUnit reads the named unit inputs into a graph.
func readUnit(t testing.TB, names ...string) *graph.Graph {
	t.Helper()
	return Read(context.Background(), readFiles(t, unitDir, names...), Options{})
}

// noDiagnostics fails when g has any diagnostic.
func noDiagnostics(t testing.TB, g *graph.Graph) {
	t.Helper()
	for _, d := range g.Diagnostics {
		t.Errorf("unexpected diagnostic: %s", d.Error())
	}
}

// nodeOpts compare nodes without their positions.
func nodeOpts() cmp.Options {
	return cmp.Options{
		cmpopts.IgnoreFields(graph.Base{}, "Source", "Attrs"),
		cmpopts.IgnoreTypes(graph.Range{}),
		cmpopts.EquateEmpty(),
	}
}

func ptr[T any](v T) *T { return &v }

const (
	vpc1     = "vpc-0a1b2c3d4e5f60001"
	subPubA  = "subnet-0a000000000000001"
	subAppB  = "subnet-0a000000000000011"
	sgApp    = "sg-0a0000000000000b1"
	sgALB    = "sg-0a0000000000000a1"
	acct     = "123456789012"
	albARN   = "arn:aws:elasticloadbalancing:us-east-1:123456789012:loadbalancer/app/prod-alb/50dc6c495c0c9188"
	appTGARN = "arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/app-tg/73e2d6bc24d8a067"
)

func TestReadCommands(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name  string
		files []string
		want  []graph.Node
	}{
		{
			name:  "describe-vpcs keeps associated CIDRs, primary first",
			files: []string{"ec2-describe-vpcs.json"},
			want: []graph.Node{&graph.VPC{
				Base:           graph.Base{ID: vpc1, Kind: graph.KindVPC, Name: "prod-vpc", Tags: map[string]string{"Name": "prod-vpc"}},
				CIDRBlocks:     []string{"10.0.0.0/16", "100.64.0.0/16"},
				IPv6CIDRBlocks: []string{"2600:1f18:abcd:1200::/56"},
				State:          "available",
				OwnerID:        acct,
			}},
		},
		{
			name:  "describe-subnets",
			files: []string{"ec2-describe-subnets.json"},
			want: []graph.Node{
				&graph.Subnet{
					Base: graph.Base{ID: subPubA, Kind: graph.KindSubnet, Name: "public-a", Tags: map[string]string{"Name": "public-a", "Tier": "public"},
						Aliases: []string{"arn:aws:ec2:us-east-1:123456789012:subnet/subnet-0a000000000000001"}},
					VPCID: vpc1, AvailabilityZone: "us-east-1a", AvailabilityZoneID: "use1-az1", CIDRBlock: "10.0.1.0/24",
					IPv6CIDRBlocks: []string{"2600:1f18:abcd:1201::/64"}, MapPublicIPOnLaunch: true, State: "available",
				},
				&graph.Subnet{
					Base:  graph.Base{ID: subAppB, Kind: graph.KindSubnet, Aliases: []string{"arn:aws:ec2:us-east-1:123456789012:subnet/subnet-0a000000000000011"}},
					VPCID: vpc1, AvailabilityZone: "us-east-1b", AvailabilityZoneID: "use1-az2", CIDRBlock: "10.0.11.0/24", State: "available",
				},
			},
		},
		{
			name:  "describe-route-tables: typed targets, blackhole, main and subnet associations",
			files: []string{"ec2-describe-route-tables.json"},
			want: []graph.Node{
				&graph.RouteTable{
					Base: graph.Base{ID: "rtb-0a000000000000001", Kind: graph.KindRouteTable}, VPCID: vpc1, Main: true,
					Routes: []graph.Route{
						{DestinationCIDR: "10.0.0.0/16", TargetKind: graph.TargetLocal, TargetID: "local", State: "active", Origin: "CreateRouteTable"},
						{DestinationCIDR: "0.0.0.0/0", TargetKind: graph.TargetNAT, TargetID: "nat-0a000000000000001", State: "active", Origin: "CreateRoute"},
						{DestinationCIDR: "192.168.0.0/16", TargetKind: graph.TargetPeering, TargetID: "pcx-0a000000000000001", State: "blackhole", Origin: "CreateRoute"},
						{DestinationPrefixList: "pl-0a000000000000001", TargetKind: graph.TargetEndpoint, TargetID: "vpce-0a000000000000001", State: "active", Origin: "CreateRoute"},
					},
					Associations: []graph.RouteTableAssociation{{ID: "rtbassoc-0main", Main: true}},
				},
				&graph.RouteTable{
					Base: graph.Base{ID: "rtb-0a000000000000002", Kind: graph.KindRouteTable, Name: "public-rt", Tags: map[string]string{"Name": "public-rt"}}, VPCID: vpc1,
					Routes: []graph.Route{
						{DestinationCIDR: "10.0.0.0/16", TargetKind: graph.TargetLocal, TargetID: "local", State: "active", Origin: "CreateRouteTable"},
						{DestinationCIDR: "0.0.0.0/0", TargetKind: graph.TargetIGW, TargetID: "igw-0a000000000000001", State: "active", Origin: "CreateRoute"},
						{DestinationIPv6CIDR: "::/0", TargetKind: graph.TargetEIGW, TargetID: "eigw-0a000000000000001", State: "active", Origin: "CreateRoute"},
						{DestinationCIDR: "172.16.0.0/12", TargetKind: graph.TargetTGW, TargetID: "tgw-0a000000000000001", State: "active", Origin: "CreateRoute"},
						{DestinationCIDR: "10.9.0.0/16", TargetKind: graph.TargetInstance, TargetID: "i-0a000000000000009", State: "active", Origin: "CreateRoute"},
					},
					Associations: []graph.RouteTableAssociation{{ID: "rtbassoc-0pub", SubnetID: subPubA}},
				},
			},
		},
		{
			name:  "describe-internet-gateways keeps attached VPCs only",
			files: []string{"ec2-describe-internet-gateways.json"},
			want: []graph.Node{
				&graph.InternetGateway{Base: graph.Base{ID: "igw-0a000000000000001", Kind: graph.KindInternetGateway, Name: "prod-igw", Tags: map[string]string{"Name": "prod-igw"}}, VPCIDs: []string{vpc1}},
				&graph.InternetGateway{Base: graph.Base{ID: "igw-0a000000000000002", Kind: graph.KindInternetGateway}},
			},
		},
		{
			name:  "describe-egress-only-internet-gateways",
			files: []string{"ec2-describe-egress-only-internet-gateways.json"},
			want: []graph.Node{
				&graph.EgressOnlyInternetGateway{Base: graph.Base{ID: "eigw-0a000000000000001", Kind: graph.KindEgressOnlyInternetGateway}, VPCIDs: []string{vpc1}},
			},
		},
		{
			name:  "describe-nat-gateways marks the Elastic IP it uses",
			files: []string{"ec2-describe-nat-gateways.json", "ec2-describe-addresses.json"},
			want: []graph.Node{
				&graph.NATGateway{
					Base:  graph.Base{ID: "nat-0a000000000000001", Kind: graph.KindNATGateway, Name: "prod-nat", Tags: map[string]string{"Name": "prod-nat"}},
					VPCID: vpc1, SubnetID: subPubA, ConnectivityType: "public", State: "available",
					Addresses: []graph.NATAddress{{AllocationID: "eipalloc-0a000000000000001", PublicIP: "54.10.20.30", PrivateIP: "10.0.1.45", NetworkInterfaceID: "eni-0a0000000000000a1", IsPrimary: true}},
				},
				&graph.EIP{
					Base:     graph.Base{ID: "eipalloc-0a000000000000001", Kind: graph.KindEIP, Name: "nat-eip", Tags: map[string]string{"Name": "nat-eip"}, Aliases: []string{"54.10.20.30"}},
					PublicIP: "54.10.20.30", Domain: "vpc", AssociationID: "eipassoc-0a1", NetworkInterfaceID: "eni-0a0000000000000a1", PrivateIP: "10.0.1.45",
					NATGatewayID: "nat-0a000000000000001",
				},
				&graph.EIP{Base: graph.Base{ID: "eipalloc-0a000000000000002", Kind: graph.KindEIP, Aliases: []string{"54.10.20.31"}}, PublicIP: "54.10.20.31", Domain: "vpc"},
			},
		},
		{
			name:  "describe-security-groups: one rule per peer, protocols normalised",
			files: []string{"ec2-describe-security-groups.json"},
			want: []graph.Node{&graph.SecurityGroup{
				Base: graph.Base{ID: sgApp, Kind: graph.KindSecurityGroup, Name: "app", Tags: map[string]string{"Name": "app"},
					Aliases: []string{"app-sg", "arn:aws:ec2:us-east-1:123456789012:security-group/sg-0a0000000000000b1"}},
				VPCID: vpc1, GroupName: "app-sg", Description: "app servers", OwnerID: acct,
				Ingress: []graph.SGRule{
					{Protocol: "tcp", FromPort: 80, ToPort: 80, PeerKind: graph.PeerSG, Peer: sgALB, Description: "from the load balancer"},
					{Protocol: "tcp", FromPort: 80, ToPort: 80, PeerKind: graph.PeerSG, Peer: "sg-0ffffffffffffff01", PeerOwner: "210987654321"},
					{Protocol: "tcp", FromPort: 22, ToPort: 22, PeerKind: graph.PeerCIDR, Peer: "203.0.113.10/32", Description: "admin"},
					{Protocol: "tcp", FromPort: 22, ToPort: 22, PeerKind: graph.PeerCIDR, Peer: "198.51.100.0/24"},
					{Protocol: "tcp", FromPort: 22, ToPort: 22, PeerKind: graph.PeerIPv6CIDR, Peer: "2001:db8::/32"},
					{Protocol: "tcp", FromPort: 22, ToPort: 22, PeerKind: graph.PeerPrefixList, Peer: "pl-0a000000000000002", Description: "office"},
					{Protocol: "icmp", FromPort: -1, ToPort: -1, PeerKind: graph.PeerCIDR, Peer: "10.0.0.0/16"},
				},
				Egress: []graph.SGRule{{Protocol: "-1", FromPort: -1, ToPort: -1, PeerKind: graph.PeerCIDR, Peer: "0.0.0.0/0"}},
			}},
		},
		{
			name:  "describe-security-group-rules merge into their groups without double counting",
			files: []string{"ec2-describe-security-groups.json", "ec2-describe-security-group-rules.json"},
			want: []graph.Node{
				&graph.SecurityGroup{
					Base:  graph.Base{ID: sgALB, Kind: graph.KindSecurityGroup, Name: "alb-sg"},
					VPCID: vpc1, GroupName: "alb-sg", Description: "load balancer", OwnerID: acct,
					Ingress: []graph.SGRule{
						{ID: "sgr-0a0000000000000a1", Protocol: "tcp", FromPort: 443, ToPort: 443, PeerKind: graph.PeerCIDR, Peer: "0.0.0.0/0"},
						{Protocol: "tcp", FromPort: 443, ToPort: 443, PeerKind: graph.PeerIPv6CIDR, Peer: "::/0"},
						{ID: "sgr-0a0000000000000a2", Protocol: "tcp", FromPort: 80, ToPort: 80, PeerKind: graph.PeerCIDR, Peer: "0.0.0.0/0", Description: "http, only in the rules dump"},
					},
					Egress: []graph.SGRule{{ID: "sgr-0a0000000000000a3", Protocol: "tcp", FromPort: 80, ToPort: 80, PeerKind: graph.PeerSG, Peer: sgApp}},
				},
				&graph.SecurityGroup{
					Base:    graph.Base{ID: "sg-0a0000000000000c1", Kind: graph.KindSecurityGroup},
					OwnerID: acct,
					Ingress: []graph.SGRule{{ID: "sgr-0a0000000000000c1", Protocol: "udp", FromPort: 53, ToPort: 53, PeerKind: graph.PeerPrefixList, Peer: "pl-0a000000000000002"}},
				},
			},
		},
		{
			name:  "describe-instances: state, public IP, ENIs primary first, ASG and launch template from tags",
			files: []string{"ec2-describe-instances.json"},
			want: []graph.Node{
				&graph.Instance{
					Base: graph.Base{ID: "i-0a000000000000001", Kind: graph.KindInstance, Name: "app-1",
						Tags: map[string]string{"Name": "app-1", "aws:autoscaling:groupName": "app-asg", "aws:ec2launchtemplate:id": "lt-0a000000000000001"}},
					State: "running", InstanceType: "t3.micro", ImageID: "ami-0abcdef1234567890", VPCID: vpc1, SubnetID: subPubA,
					AvailabilityZone: "us-east-1a", PrivateIP: "10.0.1.10", PublicIP: "54.10.20.40", IPv6Addresses: []string{"2600:1f18:abcd:1201::10"},
					SecurityGroups: []string{sgApp}, NetworkInterfaces: []string{"eni-0a000000000000001", "eni-0a000000000000002"},
					KeyName: "ops", LaunchTemplateID: "lt-0a000000000000001", AutoScalingGroup: "app-asg", Count: 1,
				},
				&graph.Instance{
					Base:  graph.Base{ID: "i-0a000000000000002", Kind: graph.KindInstance},
					State: "stopped", InstanceType: "t3.small", ImageID: "ami-0abcdef1234567890", VPCID: vpc1, SubnetID: subAppB,
					AvailabilityZone: "us-east-1b", PrivateIP: "10.0.11.20", Count: 1,
				},
				&graph.NetworkInterface{
					Base:  graph.Base{ID: "eni-0a000000000000002", Kind: graph.KindNetworkInterface},
					VPCID: vpc1, SubnetID: subPubA, AvailabilityZone: "us-east-1a", InterfaceType: "interface", Status: "in-use",
					PrivateIP: "10.0.1.11", SecurityGroups: []string{sgApp}, InstanceID: "i-0a000000000000001", Description: "secondary", SourceDestCheck: true,
				},
			},
		},
		{
			name:  "an ENI in describe-instances and describe-network-interfaces merges",
			files: []string{"ec2-describe-instances.json", "ec2-describe-network-interfaces.json"},
			want: []graph.Node{
				&graph.NetworkInterface{
					Base:  graph.Base{ID: "eni-0a000000000000001", Kind: graph.KindNetworkInterface, Name: "app-1-primary", Tags: map[string]string{"Name": "app-1-primary"}},
					VPCID: vpc1, SubnetID: subPubA, AvailabilityZone: "us-east-1a", InterfaceType: "interface", Status: "in-use",
					PrivateIP: "10.0.1.10", PublicIP: "54.10.20.40", IPv6Addresses: []string{"2600:1f18:abcd:1201::10"},
					SecurityGroups: []string{sgApp}, InstanceID: "i-0a000000000000001", SourceDestCheck: true,
				},
				&graph.NetworkInterface{
					Base:  graph.Base{ID: "eni-0a0000000000000a1", Kind: graph.KindNetworkInterface},
					VPCID: vpc1, SubnetID: subPubA, AvailabilityZone: "us-east-1a", InterfaceType: "nat_gateway", Status: "in-use",
					PrivateIP: "10.0.1.45", PublicIP: "54.10.20.30", RequesterID: "036872051663", RequesterManaged: true,
					Description: "Interface for NAT Gateway nat-0a000000000000001", AllocationID: "eipalloc-0a000000000000001",
				},
			},
		},
		{
			name:  "describe-network-acls: entries sorted ingress first by rule number",
			files: []string{"ec2-describe-network-acls.json"},
			want: []graph.Node{&graph.NetworkACL{
				Base: graph.Base{ID: "acl-0a000000000000001", Kind: graph.KindNetworkACL}, VPCID: vpc1, IsDefault: true,
				Entries: []graph.ACLEntry{
					{RuleNumber: 50, Protocol: "tcp", CIDR: "203.0.113.0/24", FromPort: 22, ToPort: 22},
					{RuleNumber: 110, Protocol: "icmpv6", Allow: true, IPv6CIDR: "::/0", FromPort: 8, ToPort: -1},
					{RuleNumber: 200, Protocol: "tcp", Allow: true, CIDR: "0.0.0.0/0", FromPort: 1024, ToPort: 65535},
					{RuleNumber: 32767, Protocol: "-1", CIDR: "0.0.0.0/0"},
					{RuleNumber: 100, Egress: true, Protocol: "-1", Allow: true, CIDR: "0.0.0.0/0"},
					{RuleNumber: 32767, Egress: true, Protocol: "-1", CIDR: "0.0.0.0/0"},
				},
				SubnetIDs: []string{subPubA, subAppB},
			}},
		},
		{
			name:  "describe-vpc-endpoints",
			files: []string{"ec2-describe-vpc-endpoints.json"},
			want: []graph.Node{
				&graph.VPCEndpoint{Base: graph.Base{ID: "vpce-0a000000000000001", Kind: graph.KindVPCEndpoint}, VPCID: vpc1, ServiceName: "com.amazonaws.us-east-1.s3",
					EndpointType: "Gateway", RouteTableIDs: []string{"rtb-0a000000000000001"}, State: "available"},
				&graph.VPCEndpoint{Base: graph.Base{ID: "vpce-0a000000000000002", Kind: graph.KindVPCEndpoint, Name: "ssm", Tags: map[string]string{"Name": "ssm"}},
					VPCID: vpc1, ServiceName: "com.amazonaws.us-east-1.ssm", EndpointType: "Interface", SubnetIDs: []string{subAppB}, SecurityGroups: []string{sgApp}, State: "available"},
			},
		},
		{
			name:  "describe-vpc-peering-connections",
			files: []string{"ec2-describe-vpc-peering-connections.json"},
			want: []graph.Node{&graph.VPCPeering{
				Base:      graph.Base{ID: "pcx-0a000000000000001", Kind: graph.KindVPCPeering, Name: "to-shared", Tags: map[string]string{"Name": "to-shared"}},
				Requester: graph.PeeringSide{VPCID: vpc1, OwnerID: acct, Region: "us-east-1", CIDRBlocks: []string{"10.0.0.0/16", "100.64.0.0/16"}, IPv6CIDRBlocks: []string{"2600:1f18:abcd:1200::/56"}},
				Accepter:  graph.PeeringSide{VPCID: "vpc-0ffffffffffffff01", OwnerID: "210987654321", Region: "eu-west-1", CIDRBlocks: []string{"192.168.0.0/16"}},
				Status:    "active",
			}},
		},
		{
			name:  "describe-transit-gateway-attachments",
			files: []string{"ec2-describe-transit-gateway-attachments.json"},
			want: []graph.Node{&graph.TransitGatewayAttachment{
				Base:             graph.Base{ID: "tgw-attach-0a000000000000001", Kind: graph.KindTransitGatewayAttachment},
				TransitGatewayID: "tgw-0a000000000000001", ResourceType: "vpc", ResourceID: vpc1, State: "available",
			}},
		},
		{
			name:  "managed prefix lists with entries from a wrapper and from a file name",
			files: []string{"ec2-describe-managed-prefix-lists.json", "ec2-get-managed-prefix-list-entries.json", "ec2-get-managed-prefix-list-entries-pl-0a000000000000001.json"},
			want: []graph.Node{
				&graph.PrefixList{
					Base: graph.Base{ID: "pl-0a000000000000001", Kind: graph.KindPrefixList, Name: "com.amazonaws.us-east-1.s3",
						Aliases: []string{"arn:aws:ec2:us-east-1:aws:prefix-list/pl-0a000000000000001"}},
					PrefixListName: "com.amazonaws.us-east-1.s3", AddressFamily: "IPv4", Entries: []string{"3.5.0.0/19", "52.216.0.0/15"}, EntriesKnown: true,
				},
				&graph.PrefixList{
					Base: graph.Base{ID: "pl-0a000000000000002", Kind: graph.KindPrefixList, Name: "office-networks",
						Aliases: []string{"arn:aws:ec2:us-east-1:123456789012:prefix-list/pl-0a000000000000002"}},
					PrefixListName: "office-networks", AddressFamily: "IPv4", MaxEntries: 5, Entries: []string{"198.51.100.0/24", "203.0.113.0/24"}, EntriesKnown: true,
				},
			},
		},
		{
			name:  "a prefix list without its entries says so",
			files: []string{"ec2-describe-managed-prefix-lists.json"},
			want: []graph.Node{&graph.PrefixList{
				Base: graph.Base{ID: "pl-0a000000000000002", Kind: graph.KindPrefixList, Name: "office-networks",
					Aliases: []string{"arn:aws:ec2:us-east-1:123456789012:prefix-list/pl-0a000000000000002"}},
				PrefixListName: "office-networks", AddressFamily: "IPv4", MaxEntries: 5,
			}},
		},
		{
			name:  "launch templates carry their default version's data",
			files: []string{"ec2-describe-launch-templates.json", "ec2-describe-launch-template-versions.json"},
			want: []graph.Node{
				&graph.LaunchTemplate{
					Base:         graph.Base{ID: "lt-0a000000000000001", Kind: graph.KindLaunchTemplate, Name: "app-lt", Tags: map[string]string{"Tier": "app"}},
					TemplateName: "app-lt", DefaultVersion: 2, LatestVersion: 3, InstanceType: "t3.micro", ImageID: "ami-0abcdef1234567890", KeyName: "ops",
					NetworkInterfaces: []graph.LaunchTemplateNetworkInterface{{DeviceIndex: 0, SubnetID: subAppB, SecurityGroups: []string{sgApp}, AssociatePublicIP: ptr(false)}},
					AssociatePublicIP: ptr(false),
				},
				&graph.LaunchTemplate{
					Base:         graph.Base{ID: "lt-0a000000000000002", Kind: graph.KindLaunchTemplate, Name: "worker-lt"},
					TemplateName: "worker-lt", DefaultVersion: 1, LatestVersion: 1, InstanceType: "c6i.large", ImageID: "ami-0abcdef1234567890",
					SecurityGroups: []string{sgApp},
				},
			},
		},
		{
			name:  "describe-load-balancers",
			files: []string{"elbv2-describe-load-balancers.json"},
			want: []graph.Node{&graph.LoadBalancer{
				Base:   graph.Base{ID: albARN, Kind: graph.KindLoadBalancer, Name: "prod-alb", Aliases: []string{"prod-alb"}},
				LBName: "prod-alb", Type: "application", Scheme: "internet-facing", VPCID: vpc1,
				SubnetIDs: []string{subPubA, "subnet-0a000000000000002"}, AvailabilityZones: []string{"us-east-1a", "us-east-1b"},
				SecurityGroups: []string{sgALB}, State: "active", DNSName: "prod-alb-1234567890.us-east-1.elb.amazonaws.com", IPAddressType: "ipv4",
			}},
		},
		{
			name:  "describe-listeners: forward and redirect default actions",
			files: []string{"elbv2-describe-listeners.json"},
			want: []graph.Node{
				&graph.Listener{
					Base:            graph.Base{ID: "arn:aws:elasticloadbalancing:us-east-1:123456789012:listener/app/prod-alb/50dc6c495c0c9188/0467ef3c8400ae65", Kind: graph.KindListener},
					LoadBalancerARN: albARN, Port: 80, Protocol: "HTTP",
					DefaultActions: []graph.ListenerAction{{Type: "redirect", RedirectProtocol: "HTTPS", RedirectPort: "443", StatusCode: "HTTP_301"}},
				},
				&graph.Listener{
					Base:            graph.Base{ID: "arn:aws:elasticloadbalancing:us-east-1:123456789012:listener/app/prod-alb/50dc6c495c0c9188/f2f7dc8efc522ab2", Kind: graph.KindListener},
					LoadBalancerARN: albARN, Port: 443, Protocol: "HTTPS", SSLPolicy: "ELBSecurityPolicy-TLS13-1-2-2021-06",
					Certificates:   []string{"arn:aws:acm:us-east-1:123456789012:certificate/3dcb0a41-bd72-4774-9ad9-756919c40557"},
					DefaultActions: []graph.ListenerAction{{Type: "forward", TargetGroupARNs: []string{appTGARN}}},
				},
			},
		},
		{
			name:  "target groups with target health from a wrapper and from a file name",
			files: []string{"elbv2-describe-target-groups.json", "elbv2-describe-target-health.json", "arn%3Aaws%3Aelasticloadbalancing%3Aus-east-1%3A123456789012%3Atargetgroup%2Fworker-tg%2F0123456789abcdef.json"},
			want: []graph.Node{
				&graph.TargetGroup{
					Base:            graph.Base{ID: appTGARN, Kind: graph.KindTargetGroup, Name: "app-tg", Aliases: []string{"app-tg"}},
					TargetGroupName: "app-tg", Protocol: "HTTP", Port: 80, TargetType: "instance", VPCID: vpc1,
					LoadBalancerARNs: []string{albARN}, HealthCheckPath: "/health", HealthCheckPort: "traffic-port",
					Targets: []graph.Target{
						{ID: "i-0a000000000000001", Port: 80, AvailabilityZone: "us-east-1a", Health: "healthy"},
						{ID: "i-0a000000000000002", Port: 80, AvailabilityZone: "us-east-1b", Health: "unused"},
					},
				},
				&graph.TargetGroup{
					Base:            graph.Base{ID: "arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/worker-tg/0123456789abcdef", Kind: graph.KindTargetGroup, Name: "worker-tg"},
					TargetGroupName: "worker-tg",
					Targets:         []graph.Target{{ID: "10.0.11.50", Port: 8080, AvailabilityZone: "us-east-1b", Health: "unhealthy"}},
				},
			},
		},
		{
			name:  "Auto Scaling groups: launch template by name, mixed instances, warm pool, policies",
			files: []string{"autoscaling-describe-auto-scaling-groups.json", "autoscaling-describe-policies.json", "ec2-describe-launch-templates.json"},
			want: []graph.Node{
				&graph.AutoScalingGroup{
					Base: graph.Base{ID: "app-asg", Kind: graph.KindAutoScalingGroup, Name: "app", Tags: map[string]string{"Name": "app"},
						Aliases: []string{"app-asg", "arn:aws:autoscaling:us-east-1:123456789012:autoScalingGroup:930d940e-891e-4781-a11a-7b0acd480f03:autoScalingGroupName/app-asg"}},
					ARN:     "arn:aws:autoscaling:us-east-1:123456789012:autoScalingGroup:930d940e-891e-4781-a11a-7b0acd480f03:autoScalingGroupName/app-asg",
					MinSize: 2, MaxSize: 10, DesiredCapacity: 3, SubnetIDs: []string{subAppB, "subnet-0a000000000000012"},
					AvailabilityZones: []string{"us-east-1a", "us-east-1b"}, LaunchTemplateID: "lt-0a000000000000001", LaunchTemplateVersion: "$Default",
					TargetGroupARNs: []string{appTGARN}, Instances: []string{"i-0a000000000000001"}, ReportedInstanceTypes: []string{"t3.micro"}, HealthCheckType: "ELB", HealthCheckGrace: 300,
					DefaultCooldown: 300, DefaultInstanceWarmup: 120,
					Policies: []graph.ScalingPolicy{
						{Name: "alb-requests", PolicyType: "TargetTrackingScaling", MetricType: "ALBRequestCountPerTarget",
							ResourceLabel: "app/prod-alb/50dc6c495c0c9188/targetgroup/app-tg/73e2d6bc24d8a067", TargetValue: 1000, DisableScaleIn: true},
						{Name: "cpu50", PolicyType: "TargetTrackingScaling", MetricType: "ASGAverageCPUUtilization", TargetValue: 50, EstimatedInstanceWarmup: 180, Enabled: true},
					},
					WarmPool: &graph.WarmPool{MinSize: 1, MaxGroupPreparedCapacity: ptr(4), PoolState: "Stopped"},
				},
				&graph.AutoScalingGroup{
					Base:    graph.Base{ID: "worker-asg", Kind: graph.KindAutoScalingGroup, Name: "worker-asg"},
					MaxSize: 4, SubnetIDs: []string{subAppB}, AvailabilityZones: []string{"us-east-1b"},
					LaunchTemplateID: "lt-0a000000000000002", LaunchTemplateVersion: "$Latest", InstanceTypes: []string{"c6i.large", "c5.large"},
					MixedInstances: &graph.MixedInstancesPolicy{OnDemandPercentAboveBase: new(0), SpotAllocationStrategy: "price-capacity-optimized",
						Overrides: []graph.InstanceOverride{{InstanceType: "c6i.large"}, {InstanceType: "c5.large"}}},
					HealthCheckType: "EC2", DefaultCooldown: 300,
					Policies: []graph.ScalingPolicy{{Name: "scale-out", PolicyType: "SimpleScaling", Cooldown: 120, Enabled: true}},
				},
			},
		},
		{
			name:  "RDS instances, clusters and subnet groups",
			files: []string{"rds-describe-db-instances.json", "rds-describe-db-clusters.json", "rds-describe-db-subnet-groups.json"},
			want: []graph.Node{
				&graph.DBInstance{
					Base: graph.Base{ID: "prod-db", Kind: graph.KindDBInstance, Name: "prod-db", Tags: map[string]string{"Tier": "data"}, Aliases: []string{"arn:aws:rds:us-east-1:123456789012:db:prod-db"}},
					ARN:  "arn:aws:rds:us-east-1:123456789012:db:prod-db", Engine: "mysql", EngineVersion: "8.0.35", InstanceClass: "db.t3.medium",
					MultiAZ: true, AllocatedStorage: 100, StorageType: "gp3", StorageEncrypted: true, Port: 3306,
					DBSubnetGroup: "prod-db-subnets", VPCID: vpc1, SecurityGroups: []string{"sg-0a0000000000000d1"},
					AvailabilityZone: "us-east-1a", SecondaryAZ: "us-east-1b", Status: "available", Count: 1,
				},
				&graph.DBInstance{
					Base: graph.Base{ID: "aurora-1", Kind: graph.KindDBInstance, Name: "aurora-1", Aliases: []string{"arn:aws:rds:us-east-1:123456789012:db:aurora-1"}},
					ARN:  "arn:aws:rds:us-east-1:123456789012:db:aurora-1", Engine: "aurora-postgresql", InstanceClass: "db.r6g.large",
					PubliclyAccessible: true, StorageEncrypted: true, Port: 5432, DBSubnetGroup: "prod-db-subnets", VPCID: vpc1,
					SecurityGroups: []string{"sg-0a0000000000000d1"}, ClusterID: "aurora-prod", Status: "available", Count: 1,
				},
				&graph.DBCluster{
					Base: graph.Base{ID: "aurora-prod", Kind: graph.KindDBCluster, Name: "aurora-prod", Aliases: []string{"arn:aws:rds:us-east-1:123456789012:cluster:aurora-prod"}},
					ARN:  "arn:aws:rds:us-east-1:123456789012:cluster:aurora-prod", Engine: "aurora-postgresql", EngineVersion: "15.4",
					StorageEncrypted: true, Port: 5432, DBSubnetGroup: "prod-db-subnets", SecurityGroups: []string{"sg-0a0000000000000d1"},
					AvailabilityZones: []string{"us-east-1a", "us-east-1b", "us-east-1c"}, Members: []string{"aurora-1"}, Status: "available",
				},
				&graph.DBSubnetGroup{
					Base:  graph.Base{ID: "prod-db-subnets", Kind: graph.KindDBSubnetGroup, Name: "prod-db-subnets", Aliases: []string{"arn:aws:rds:us-east-1:123456789012:subgrp:prod-db-subnets"}},
					VPCID: vpc1, SubnetIDs: []string{"subnet-0a000000000000021", "subnet-0a000000000000022"}, AvailabilityZones: []string{"us-east-1a", "us-east-1b"},
				},
			},
		},
		{
			name:  "describe-services (camelCase ECS output)",
			files: []string{"ecs-describe-services.json"},
			want: []graph.Node{&graph.ECSService{
				Base:    graph.Base{ID: "arn:aws:ecs:us-east-1:123456789012:service/prod/web", Kind: graph.KindECSService, Name: "web", Tags: map[string]string{"Name": "web"}, Aliases: []string{"web"}},
				Cluster: "arn:aws:ecs:us-east-1:123456789012:cluster/prod", LaunchType: "FARGATE", DesiredCount: 3,
				SubnetIDs: []string{subAppB, "subnet-0a000000000000012"}, SecurityGroups: []string{sgApp},
				LoadBalancers: []graph.ECSLoadBalancer{{TargetGroupARN: appTGARN, ContainerName: "web", ContainerPort: 8080}},
			}},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			g := readUnit(t, tt.files...)
			noDiagnostics(t, g)
			for _, want := range tt.want {
				id := want.Meta().ID
				got := g.Node(id)
				if got == nil {
					t.Errorf("node %s missing; have %v", id, ids(g))
					continue
				}
				if diff := cmp.Diff(want, got, nodeOpts()); diff != "" {
					t.Errorf("node %s (-want +got):\n%s", id, diff)
				}
			}
		})
	}
}

// ids lists the node ids of g.
func ids(g *graph.Graph) []string {
	var out []string
	for _, n := range g.Nodes() {
		out = append(out, n.Meta().ID)
	}
	sort.Strings(out)
	return out
}

// allUnitFiles returns the names of every unit input.
func allUnitFiles(t testing.TB) []string {
	t.Helper()
	entries, err := os.ReadDir(unitDir)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, e := range entries {
		if strings.HasSuffix(e.Name(), ".json") {
			names = append(names, e.Name())
		}
	}
	return names
}

func TestReadAllUnitInputsTogether(t *testing.T) {
	t.Parallel()
	g := readUnit(t, allUnitFiles(t)...)
	noDiagnostics(t, g)
	counts := map[graph.Kind]int{}
	for _, n := range g.Nodes() {
		counts[n.Meta().Kind]++
		src := n.Meta().Source
		if src.Form != graph.FormDescribe || src.Account != acct || src.Region != "us-east-1" {
			t.Errorf("%s: source %+v, want form describe, account %s, region us-east-1", n.Meta().ID, src, acct)
		}
		if src.Range.Start.Line == 0 || src.Pointer == "" {
			t.Errorf("%s: no position: %+v", n.Meta().ID, src)
		}
	}
	want := map[graph.Kind]int{
		graph.KindVPC: 1, graph.KindSubnet: 2, graph.KindRouteTable: 2, graph.KindInternetGateway: 2,
		graph.KindEgressOnlyInternetGateway: 1, graph.KindNATGateway: 1, graph.KindEIP: 2, graph.KindSecurityGroup: 3,
		graph.KindNetworkACL: 1, graph.KindPrefixList: 2, graph.KindInstance: 2, graph.KindNetworkInterface: 3,
		graph.KindLoadBalancer: 1, graph.KindListener: 2, graph.KindTargetGroup: 2, graph.KindAutoScalingGroup: 2,
		graph.KindLaunchTemplate: 2, graph.KindDBInstance: 2, graph.KindDBCluster: 1, graph.KindDBSubnetGroup: 1,
		graph.KindVPCEndpoint: 2, graph.KindVPCPeering: 1, graph.KindTransitGatewayAttachment: 1, graph.KindECSService: 1,
	}
	if diff := cmp.Diff(want, counts); diff != "" {
		t.Errorf("node counts (-want +got):\n%s", diff)
	}
}

func TestReadOrderIndependent(t *testing.T) {
	t.Parallel()
	names := allUnitFiles(t)
	files := readFiles(t, unitDir, names...)
	a := Read(context.Background(), files, Options{})
	rev := append([]File(nil), files...)
	for i, j := 0, len(rev)-1; i < j; i, j = i+1, j-1 {
		rev[i], rev[j] = rev[j], rev[i]
	}
	b := Read(context.Background(), rev, Options{})
	if diff := cmp.Diff(a.Nodes(), b.Nodes(), cmpopts.EquateEmpty()); diff != "" {
		t.Errorf("reading the files in another order changed the graph (-first +second):\n%s", diff)
	}
}

// TestDBNamesCollideAcrossKinds: RDS names are per kind, so an instance and
// its DB subnet group may both be called "orders". Both nodes survive, the
// group as "subgrp:orders" (its ARN's resource part), and the instance
// points at it, whichever file comes first.
func TestDBNamesCollideAcrossKinds(t *testing.T) {
	t.Parallel()
	instances := File{Path: "rds-describe-db-instances.json", Data: []byte(`{"DBInstances": [{
  "DBInstanceIdentifier": "orders", "Engine": "mysql", "DBInstanceClass": "db.t3.micro", "MultiAZ": true,
  "PubliclyAccessible": false, "VpcSecurityGroups": [],
  "DBSubnetGroup": {"DBSubnetGroupName": "orders", "VpcId": "vpc-1",
    "Subnets": [{"SubnetIdentifier": "subnet-a", "SubnetAvailabilityZone": {"Name": "us-east-1a"}},
                {"SubnetIdentifier": "subnet-b", "SubnetAvailabilityZone": {"Name": "us-east-1b"}}]}
}]}`)}
	groups := File{Path: "rds-describe-db-subnet-groups.json", Data: []byte(`{"DBSubnetGroups": [{
  "DBSubnetGroupName": "orders", "VpcId": "vpc-1", "DBSubnetGroupArn": "arn:aws:rds:us-east-1:123456789012:subgrp:orders",
  "Subnets": [{"SubnetIdentifier": "subnet-a", "SubnetAvailabilityZone": {"Name": "us-east-1a"}},
              {"SubnetIdentifier": "subnet-b", "SubnetAvailabilityZone": {"Name": "us-east-1b"}}]
}]}`)}
	for name, files := range map[string][]File{"instances first": {instances, groups}, "groups first": {groups, instances}, "instances only": {instances}} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			g := Read(context.Background(), files, Options{})
			for _, d := range g.Diagnostics {
				if d.Severity != graph.SeverityInfo {
					t.Errorf("diagnostic: %v", d)
				}
			}
			db, ok := graph.Get[*graph.DBInstance](g, "orders")
			if !ok {
				t.Fatal("the DB instance orders was dropped")
			}
			grp, ok := graph.Get[*graph.DBSubnetGroup](g, "subgrp:orders")
			if !ok {
				t.Fatalf("no subnet group subgrp:orders; nodes %v", g.Nodes())
			}
			if db.DBSubnetGroup != grp.ID {
				t.Errorf("instance names group %q, want %q", db.DBSubnetGroup, grp.ID)
			}
			if len(grp.SubnetIDs) != 2 {
				t.Errorf("group subnets %v, want two", grp.SubnetIDs)
			}
			if got := g.Resolve("orders"); len(got) != 2 {
				t.Errorf("Resolve(orders) = %d nodes, want the instance and the group", len(got))
			}
		})
	}
}
