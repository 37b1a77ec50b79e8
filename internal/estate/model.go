package estate

import (
	"encoding/binary"
	"fmt"
	"hash/fnv"
	"math/rand/v2"
	"strconv"
	"strings"
	"time"
)

// adminCIDR is the operators' address admitted over SSH to bastions (TEST-NET-3).
const adminCIDR = "203.0.113.10/32"

// ami is the image every generated instance and launch template uses.
const ami = "ami-0c02fb55956c7d316"

// Shares of a VPC's instances by role (the rest are Auto Scaling group members behind a load balancer).
const (
	publicWebShare   = 0.02 // legacy web servers in public subnets with a public IP
	workerShare      = 0.05 // standalone workers in private subnets
	instancesPerSvc  = 250  // Auto Scaling group members per service (ALB + ASG + RDS)
	minForPublicWebs = 50   // VPCs smaller than this get no legacy web servers
)

// Probabilities of the variations and deliberate mistakes. So that every estate of some size
// holds each case whatever the seed, a few are also fixed: every 5th service has an internal load
// balancer, every 12th (from the 2nd) SSH open to the world, every 25th (from the 3rd) its database
// port open to the world, every 25th (from the 4th) a publicly accessible database, and every
// even-numbered VPC an idle Elastic IP.
const (
	pSingleNAT       = 0.3  // one NAT gateway for the VPC instead of one per AZ
	pInternalLB      = 0.2  // the service's load balancer is internal
	pIPv6Listener    = 0.5  // the ALB's security group admits ::/0 too
	pSSHOpen         = 0.08 // mistake: the app security group admits SSH from 0.0.0.0/0
	pDBOpen          = 0.03 // mistake: the DB security group admits its port from 0.0.0.0/0
	pDBPublic        = 0.03 // mistake: the database is publicly accessible
	pMultiAZ         = 0.8
	pLegacyOpen      = 0.3  // a legacy web server uses the wide-open group
	pElasticIP       = 0.5  // a legacy web server has an Elastic IP rather than an auto-assigned one
	pStopped         = 0.04 // a standalone instance is stopped
	pUnhealthy       = 0.03 // a target fails its health checks
	pMesh            = 0.3  // the app group admits the previous service's app group
	pIdleEIP         = 0.5  // the VPC has an Elastic IP associated with nothing
	pSecondLTVersion = 0.4  // the launch template has a second version
	pExtraVolume     = 0.1  // an instance has a data volume besides its root volume
)

// serviceWord names the i-th service.
func serviceWord(i int) string {
	words := [...]string{
		"tickets", "orders", "payments", "catalog", "search", "checkout", "users", "inventory",
		"billing", "reports", "notify", "auth", "events", "venues", "pricing", "media",
	}
	return words[i%len(words)]
}

// environment names the environment of the i-th VPC.
func environment(i int) string {
	envs := [...]string{"production", "staging", "production", "development"}
	return envs[i%len(envs)]
}

type instanceKind struct {
	name     string
	vcpus    int
	ebsOptim bool
}

// instanceKinds lists the instance types the generator picks from.
func instanceKinds() []instanceKind {
	return []instanceKind{
		{"t3.micro", 2, false}, {"t3.small", 2, false}, {"t3.medium", 2, false},
		{"m5.large", 2, true}, {"m5.xlarge", 4, true}, {"c5.large", 2, true},
		{"c5.xlarge", 4, true}, {"r5.large", 2, true},
	}
}

func (m *model) randomKind() string {
	kinds := instanceKinds()
	return kinds[m.rng.IntN(len(kinds))].name
}

// model is a generated estate: small resources as their output shapes, instances as plans
// rendered while writing.
type model struct {
	o        Options
	rng      *rand.Rand
	counters map[string]uint64
	base     time.Time

	vpcs            []vpcOut
	subnets         []*subnetPlan
	routeTables     []routeTableOut
	igws            []igwOut
	nats            []natOut
	addresses       []addressOut
	nacls           []naclOut
	sgs             []*securityGroupOut
	sgRules         []securityGroupRuleOut
	prefixLists     []prefixListOut
	prefixEntries   []prefixListEntriesDoc
	instances       []*instancePlan
	enis            []networkInterfaceOut // interfaces of NAT gateways, load balancers and databases
	launchTemplates []launchTemplateOut
	ltVersions      []launchTemplateVersionOut
	lbs             []loadBalancerOut
	listeners       []listenerOut
	tgs             []targetGroupOut
	health          []targetHealthDoc
	asgs            []autoScalingGroupOut
	policies        []scalingPolicyOut
	dbs             []dbInstanceOut
	dbSubnetGroups  []dbSubnetGroupOut
	services        int
}

type subnetPlan struct {
	out     subnetOut
	base    uint32 // network address
	size    int    // addresses in the block
	next    int    // next host offset to hand out
	public  bool
	tierTag string
}

type instancePlan struct {
	id, eniID, reservationID string
	vpcID                    string
	subnet                   *subnetPlan
	groups                   []groupIdentifier
	privateIP                uint32
	publicIP                 uint32
	eipAlloc, eipAssoc       string
	kind                     instanceKind
	running                  bool
	launch                   time.Time
	tags                     []tag
	keyName                  string
	profile                  string
	imdsv2                   bool
	volumes                  []string
	mac                      string
	clientToken              string
}

func newModel(o Options) *model {
	return &model{
		o:        o,
		rng:      rand.New(rand.NewPCG(uint64(o.Seed), 0x9e3779b97f4a7c15)),
		counters: map[string]uint64{},
		base:     time.Date(2025, 3, 3, 9, 0, 0, 0, time.UTC),
	}
}

func build(o Options) (*model, error) {
	m := newModel(o)
	m.addPrefixList()
	nv := max(1, (o.Instances+InstancesPerVPC-1)/InstancesPerVPC)
	for v := range nv {
		n := o.Instances / nv
		if v < o.Instances%nv {
			n++
		}
		if err := m.addVPC(v, n); err != nil {
			return nil, err
		}
	}
	m.finishRules()
	return m, nil
}

// stats counts the estate's resources.
func (m *model) stats() Stats {
	return Stats{
		VPCs:               len(m.vpcs),
		Subnets:            len(m.subnets),
		RouteTables:        len(m.routeTables),
		InternetGateways:   len(m.igws),
		NATGateways:        len(m.nats),
		Addresses:          len(m.addresses),
		NetworkACLs:        len(m.nacls),
		SecurityGroups:     len(m.sgs),
		SecurityGroupRules: len(m.sgRules),
		PrefixLists:        len(m.prefixLists),
		Instances:          len(m.instances),
		NetworkInterfaces:  len(m.instances) + len(m.enis),
		LaunchTemplates:    len(m.launchTemplates),
		LoadBalancers:      len(m.lbs),
		Listeners:          len(m.listeners),
		TargetGroups:       len(m.tgs),
		AutoScalingGroups:  len(m.asgs),
		ScalingPolicies:    len(m.policies),
		DBInstances:        len(m.dbs),
		DBSubnetGroups:     len(m.dbSubnetGroups),
	}
}

// ---- ids, names, addresses, times ----

// hash64 mixes the seed, a kind and a sequence number into 64 well-spread bits (splitmix64).
func (m *model) hash64(kind string, n uint64) uint64 {
	h := fnv.New64a()
	h.Write([]byte(kind))
	x := h.Sum64() ^ uint64(m.o.Seed)*0xbf58476d1ce4e5b9 ^ n*0x94d049bb133111eb
	x += 0x9e3779b97f4a7c15
	x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9
	x = (x ^ (x >> 27)) * 0x94d049bb133111eb
	return x ^ (x >> 31)
}

// id returns the next AWS-style id with the prefix ("vpc", "i", "eni-attach"…): the prefix, a
// dash and 17 hex digits.
func (m *model) id(prefix string) string {
	n := m.counters[prefix]
	m.counters[prefix] = n + 1
	return fmt.Sprintf("%s-0%016x", prefix, m.hash64(prefix, n))
}

// hex16 returns 16 hex digits for ARNs, unique per kind.
func (m *model) hex16(kind string) string {
	n := m.counters[kind]
	m.counters[kind] = n + 1
	return fmt.Sprintf("%016x", m.hash64(kind, n))
}

// uuid returns a version-4-shaped UUID, unique per kind.
func (m *model) uuid(kind string) string {
	n := m.counters[kind]
	m.counters[kind] = n + 1
	a, b := m.hash64(kind, 2*n), m.hash64(kind, 2*n+1)
	return fmt.Sprintf("%08x-%04x-4%03x-%04x-%012x", a>>32, a>>16&0xffff, a&0xfff, 0x8000|b>>48&0x3fff, b&0xffffffffffff)
}

// upper returns n characters of [A-Z0-9], unique per kind.
func (m *model) upper(kind string, n int) string {
	const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"
	c := m.counters[kind]
	m.counters[kind] = c + 1
	var sb strings.Builder
	for i := 0; sb.Len() < n; i++ {
		x := m.hash64(kind, c*8+uint64(i))
		for j := 0; j < 12 && sb.Len() < n; j++ {
			sb.WriteByte(alphabet[x&31])
			x >>= 5
		}
	}
	return sb.String()
}

func (m *model) mac(kind string) string {
	n := m.counters[kind]
	m.counters[kind] = n + 1
	x := m.hash64(kind, n)
	return fmt.Sprintf("0e:%02x:%02x:%02x:%02x:%02x", x>>32&0xff, x>>24&0xff, x>>16&0xff, x>>8&0xff, x&0xff)
}

func ipString(ip uint32) string {
	var b [4]byte
	binary.BigEndian.PutUint32(b[:], ip)
	return strconv.Itoa(int(b[0])) + "." + strconv.Itoa(int(b[1])) + "." + strconv.Itoa(int(b[2])) + "." + strconv.Itoa(int(b[3]))
}

func cidrString(base uint32, bits int) string { return ipString(base) + "/" + strconv.Itoa(bits) }

func (m *model) privateDNS(ip uint32) string {
	name := "ip-" + strings.ReplaceAll(ipString(ip), ".", "-")
	if m.o.Region == "us-east-1" {
		return name + ".ec2.internal"
	}
	return name + "." + m.o.Region + ".compute.internal"
}

func (m *model) publicDNS(ip uint32) string {
	name := "ec2-" + strings.ReplaceAll(ipString(ip), ".", "-")
	if m.o.Region == "us-east-1" {
		return name + ".compute-1.amazonaws.com"
	}
	return name + "." + m.o.Region + ".compute.amazonaws.com"
}

// publicIP hands out the next public IPv4 address (from 3.80.0.0/12, an AWS us-east-1 block).
func (m *model) publicIP() uint32 {
	n := m.counters["public-ip"]
	m.counters["public-ip"] = n + 1
	return 3<<24 | 80<<16 + uint32(n) + 1
}

// azID maps "us-east-1" and an AZ index to an AZ id such as "use1-az1".
func (m *model) azID(k int) string {
	parts := strings.Split(m.o.Region, "-")
	short := m.o.Region
	if len(parts) == 3 && parts[1] != "" {
		short = parts[0] + parts[1][:1] + parts[2]
	}
	return fmt.Sprintf("%s-az%d", short, []int{1, 2, 4}[k])
}

func (m *model) az(k int) string { return m.o.Region + string(rune('a'+k)) }

// when returns a moment within the estate's first 180 days.
func (m *model) when() time.Time {
	return m.base.Add(time.Duration(m.rng.Int64N(180*24*3600)) * time.Second)
}

// stamp formats t as the EC2 and ELB APIs print timestamps.
func stamp(t time.Time) string { return t.UTC().Format("2006-01-02T15:04:05.000Z") }

func (m *model) arn(service, resource string) string {
	return "arn:aws:" + service + ":" + m.o.Region + ":" + m.o.Account + ":" + resource
}

func (m *model) chance(p float64) bool { return m.rng.Float64() < p }

func tags(kv ...string) []tag {
	out := make([]tag, 0, len(kv)/2)
	for i := 0; i+1 < len(kv); i += 2 {
		out = append(out, tag{Key: kv[i], Value: kv[i+1]})
	}
	return out
}

// ---- network ----

func (m *model) addPrefixList() {
	id := m.id("pl")
	m.prefixLists = append(m.prefixLists, prefixListOut{
		PrefixListID:   id,
		AddressFamily:  "IPv4",
		State:          "create-complete",
		PrefixListArn:  m.arn("ec2", "prefix-list/"+id),
		PrefixListName: "corp-networks",
		MaxEntries:     10,
		Version:        3,
		Tags:           tags("Name", "corp-networks"),
		OwnerID:        m.o.Account,
	})
	m.prefixEntries = append(m.prefixEntries, prefixListEntriesDoc{
		PrefixListID: id,
		Entries: []prefixListEntry{
			{Cidr: "198.51.100.0/26", Description: "head office"},
			{Cidr: "198.51.100.128/28", Description: "support desk"},
			{Cidr: "203.0.113.10/32", Description: "vpn egress"},
		},
	})
}

// vpcCtx carries one VPC's ids while its resources are generated.
type vpcCtx struct {
	index               int
	id, name, env       string
	cidr                string
	pub, priv, data     [3]*subnetPlan
	bastionSG, workerSG groupIdentifier
	webSG, openSG       groupIdentifier
	dbSubnetGroup       dbSubnetGroupOut
	prevAppSG           string
}

func (m *model) addVPC(v, n int) error {
	c := &vpcCtx{index: v, env: environment(v)}
	c.name = fmt.Sprintf("%s-vpc-%02d", c.env, v)
	base := uint32(10)<<24 | uint32(v%256)<<16
	c.cidr = cidrString(base, 16)
	c.id = m.id("vpc")
	m.vpcs = append(m.vpcs, vpcOut{
		OwnerID:                     m.o.Account,
		InstanceTenancy:             "default",
		Ipv6CidrBlockAssociationSet: []struct{}{},
		CidrBlockAssociationSet: []vpcCidrAssoc{{
			AssociationID: m.id("vpc-cidr-assoc"), CidrBlock: c.cidr,
			CidrBlockState: vpcCidrState{State: "associated"},
		}},
		BlockPublicAccessStates: blockPublicAccess{InternetGatewayBlockMode: "off"},
		VpcID:                   c.id,
		State:                   "available",
		CidrBlock:               c.cidr,
		DhcpOptionsID:           m.id("dopt"),
		Tags:                    tags("Name", c.name, "Environment", c.env),
	})

	igwID := m.id("igw")
	m.igws = append(m.igws, igwOut{
		Attachments:       []igwAttachment{{State: "available", VpcID: c.id}},
		InternetGatewayID: igwID,
		OwnerID:           m.o.Account,
		Tags:              tags("Name", c.name+"-igw"),
	})

	for k := range 3 {
		c.pub[k] = m.addSubnet(c, base|uint32(k)<<8, 24, k, "public", true)
		c.priv[k] = m.addSubnet(c, base|uint32(16*(k+1))<<8, 20, k, "private", false)
		c.data[k] = m.addSubnet(c, base|uint32(64+k)<<8, 24, k, "data", false)
	}

	nats, err := m.addNATs(c)
	if err != nil {
		return err
	}
	m.addRouteTables(c, igwID, nats)
	m.addNACLs(c)
	m.addVPCGroups(c)

	c.dbSubnetGroup = dbSubnetGroupOut{
		DBSubnetGroupName:        c.name + "-db-subnets",
		DBSubnetGroupDescription: "database subnets of " + c.name,
		VpcID:                    c.id,
		SubnetGroupStatus:        "Complete",
		DBSubnetGroupArn:         m.arn("rds", "subgrp:"+c.name+"-db-subnets"),
		SupportedNetworkTypes:    []string{"IPV4"},
	}
	for k := range 3 {
		c.dbSubnetGroup.Subnets = append(c.dbSubnetGroup.Subnets, dbSubnet{
			SubnetIdentifier:       c.data[k].out.SubnetID,
			SubnetAvailabilityZone: nameOnly{Name: m.az(k)},
			SubnetStatus:           "Active",
		})
	}

	// Instances: a bastion, legacy public web servers, standalone workers, then services.
	if err := m.addStandalone(c, "bastion", c.pub[0], c.bastionSG, "t3.micro", true, false); err != nil {
		return err
	}
	rest := n - 1
	webs, workers := 0, 0
	if n >= minForPublicWebs {
		webs = int(float64(n)*publicWebShare + 0.5)
		workers = int(float64(n)*workerShare + 0.5)
	}
	rest -= webs + workers
	for i := range webs {
		sg := c.webSG
		if m.chance(pLegacyOpen) {
			sg = c.openSG
		}
		kind := m.randomKind()
		if err := m.addStandalone(c, "web", c.pub[i%3], sg, kind, true, m.chance(pElasticIP)); err != nil {
			return err
		}
	}
	for i := range workers {
		kind := m.randomKind()
		if err := m.addStandalone(c, "worker", c.priv[i%3], c.workerSG, kind, false, false); err != nil {
			return err
		}
	}
	if rest > 0 {
		ns := max(1, rest/instancesPerSvc)
		for s := range ns {
			size := rest / ns
			if s < rest%ns {
				size++
			}
			if err := m.addService(c, size); err != nil {
				return err
			}
		}
		m.dbSubnetGroups = append(m.dbSubnetGroups, c.dbSubnetGroup)
	}

	if v%2 == 0 || m.chance(pIdleEIP) {
		m.addresses = append(m.addresses, addressOut{
			AllocationID:       m.id("eipalloc"),
			Domain:             "vpc",
			Tags:               tags("Name", c.name+"-spare-eip"),
			PublicIpv4Pool:     "amazon",
			NetworkBorderGroup: m.o.Region,
			PublicIP:           ipString(m.publicIP()),
		})
	}
	return nil
}

func (m *model) addSubnet(c *vpcCtx, base uint32, bits, k int, tier string, public bool) *subnetPlan {
	id := m.id("subnet")
	name := fmt.Sprintf("%s-%s-%c", c.name, tier, 'a'+k)
	s := &subnetPlan{
		base:    base,
		size:    1 << (32 - bits),
		next:    4, // AWS reserves the first four addresses and the last
		public:  public,
		tierTag: tier,
		out: subnetOut{
			AvailabilityZoneID:          m.azID(k),
			OwnerID:                     m.o.Account,
			Ipv6CidrBlockAssociationSet: []struct{}{},
			Tags:                        tags("Name", name, "Tier", tier, "Environment", c.env),
			SubnetArn:                   m.arn("ec2", "subnet/"+id),
			PrivateDNSNameOptionsOnLaunch: privateDNSNameOptions{
				HostnameType: "ip-name",
			},
			SubnetID:            id,
			State:               "available",
			VpcID:               c.id,
			CidrBlock:           cidrString(base, bits),
			AvailabilityZone:    m.az(k),
			MapPublicIPOnLaunch: public,
		},
	}
	m.subnets = append(m.subnets, s)
	return s
}

// take hands out the subnet's next free private address.
func (s *subnetPlan) take() (uint32, error) {
	if s.next >= s.size-1 {
		return 0, fmt.Errorf("estate: subnet %s (%s) is full", s.out.SubnetID, s.out.CidrBlock)
	}
	ip := s.base + uint32(s.next)
	s.next++
	return ip, nil
}

func (m *model) addNATs(c *vpcCtx) ([]string, error) {
	count := 3
	if m.chance(pSingleNAT) {
		count = 1
	}
	var ids []string
	for k := range count {
		subnet := c.pub[k]
		ip, err := subnet.take()
		if err != nil {
			return nil, err
		}
		natID, eniID, alloc, assoc := m.id("nat"), m.id("eni"), m.id("eipalloc"), m.id("eipassoc")
		public := m.publicIP()
		created := m.when()
		m.addresses = append(m.addresses, addressOut{
			AllocationID:            alloc,
			AssociationID:           assoc,
			Domain:                  "vpc",
			NetworkInterfaceID:      eniID,
			NetworkInterfaceOwnerID: m.o.Account,
			PrivateIPAddress:        ipString(ip),
			Tags:                    tags("Name", fmt.Sprintf("%s-nat-%c", c.name, 'a'+k)),
			PublicIpv4Pool:          "amazon",
			NetworkBorderGroup:      m.o.Region,
			PublicIP:                ipString(public),
		})
		m.nats = append(m.nats, natOut{
			CreateTime: stamp(created),
			NatGatewayAddresses: []natAddress{{
				AllocationID: alloc, NetworkInterfaceID: eniID, PrivateIP: ipString(ip),
				PublicIP: ipString(public), AssociationID: assoc, IsPrimary: true, Status: "succeeded",
			}},
			NatGatewayID:     natID,
			State:            "available",
			SubnetID:         subnet.out.SubnetID,
			VpcID:            c.id,
			Tags:             tags("Name", fmt.Sprintf("%s-nat-%c", c.name, 'a'+k), "Environment", c.env),
			ConnectivityType: "public",
		})
		m.enis = append(m.enis, networkInterfaceOut{
			Association: &ipAssociation{
				AllocationID: alloc, AssociationID: assoc, IPOwnerID: m.o.Account,
				PublicDNSName: m.publicDNS(public), PublicIP: ipString(public),
			},
			AvailabilityZone:   m.az(k),
			Description:        "Interface for NAT Gateway " + natID,
			Groups:             []groupIdentifier{},
			InterfaceType:      "nat_gateway",
			Ipv6Addresses:      []struct{}{},
			MacAddress:         m.mac("mac"),
			NetworkInterfaceID: eniID,
			OwnerID:            m.o.Account,
			PrivateDNSName:     m.privateDNS(ip),
			PrivateIPAddress:   ipString(ip),
			PrivateIPAddresses: []privateIP{{
				Association: &ipAssociation{
					AllocationID: alloc, AssociationID: assoc, IPOwnerID: m.o.Account,
					PublicDNSName: m.publicDNS(public), PublicIP: ipString(public),
				},
				Primary: true, PrivateDNSName: m.privateDNS(ip), PrivateIPAddress: ipString(ip),
			}},
			RequesterID:      "AROAXXNATGATEWAYSERVICE",
			RequesterManaged: true,
			SourceDestCheck:  false,
			Status:           "in-use",
			SubnetID:         subnet.out.SubnetID,
			TagSet:           []tag{},
			VpcID:            c.id,
		})
		ids = append(ids, natID)
	}
	return ids, nil
}

func (m *model) addRouteTables(c *vpcCtx, igwID string, nats []string) {
	local := routeOut{DestinationCidrBlock: c.cidr, GatewayID: "local", Origin: "CreateRouteTable", State: "active"}
	assoc := func(rtb, subnet string) rtAssoc {
		return rtAssoc{
			RouteTableAssociationID: m.id("rtbassoc"), RouteTableID: rtb, SubnetID: subnet,
			AssociationState: stateOnly{State: "associated"},
		}
	}

	// The main table keeps only the local route; the data subnets fall back to it.
	mainID := m.id("rtb")
	m.routeTables = append(m.routeTables, routeTableOut{
		Associations: []rtAssoc{{
			Main: true, RouteTableAssociationID: m.id("rtbassoc"), RouteTableID: mainID,
			AssociationState: stateOnly{State: "associated"},
		}},
		PropagatingVgws: []struct{}{},
		RouteTableID:    mainID,
		Routes:          []routeOut{local},
		Tags:            tags("Name", c.name+"-main"),
		VpcID:           c.id,
		OwnerID:         m.o.Account,
	})

	pubID := m.id("rtb")
	pub := routeTableOut{
		PropagatingVgws: []struct{}{},
		RouteTableID:    pubID,
		Routes: []routeOut{local, {
			DestinationCidrBlock: "0.0.0.0/0", GatewayID: igwID, Origin: "CreateRoute", State: "active",
		}},
		Tags:    tags("Name", c.name+"-public", "Tier", "public"),
		VpcID:   c.id,
		OwnerID: m.o.Account,
	}
	for k := range 3 {
		pub.Associations = append(pub.Associations, assoc(pubID, c.pub[k].out.SubnetID))
	}
	m.routeTables = append(m.routeTables, pub)

	for k := range 3 {
		id := m.id("rtb")
		m.routeTables = append(m.routeTables, routeTableOut{
			Associations:    []rtAssoc{assoc(id, c.priv[k].out.SubnetID)},
			PropagatingVgws: []struct{}{},
			RouteTableID:    id,
			Routes: []routeOut{local, {
				DestinationCidrBlock: "0.0.0.0/0", NatGatewayID: nats[k%len(nats)], Origin: "CreateRoute", State: "active",
			}},
			Tags:    tags("Name", fmt.Sprintf("%s-private-%c", c.name, 'a'+k), "Tier", "private"),
			VpcID:   c.id,
			OwnerID: m.o.Account,
		})
	}
}

func (m *model) addNACLs(c *vpcCtx) {
	allowAll := func(egress bool) []naclEntry {
		return []naclEntry{
			{CidrBlock: "0.0.0.0/0", Egress: egress, Protocol: "-1", RuleAction: "allow", RuleNumber: 100},
			{CidrBlock: "0.0.0.0/0", Egress: egress, Protocol: "-1", RuleAction: "deny", RuleNumber: 32767},
		}
	}
	defID := m.id("acl")
	def := naclOut{
		Entries:      append(allowAll(true), allowAll(false)...),
		IsDefault:    true,
		NetworkACLID: defID,
		Tags:         []tag{},
		VpcID:        c.id,
		OwnerID:      m.o.Account,
	}
	for _, s := range append(c.pub[:], c.priv[:]...) {
		def.Associations = append(def.Associations, naclAssoc{
			NetworkACLAssociationID: m.id("aclassoc"), NetworkACLID: defID, SubnetID: s.out.SubnetID,
		})
	}
	m.nacls = append(m.nacls, def)

	// The data subnets admit the database ports from the VPC and answer on ephemeral ports.
	dataID := m.id("acl")
	data := naclOut{
		Entries: []naclEntry{
			{CidrBlock: c.cidr, Egress: true, Protocol: "6", PortRange: &portRange{From: 1024, To: 65535}, RuleAction: "allow", RuleNumber: 100},
			{CidrBlock: "0.0.0.0/0", Egress: true, Protocol: "-1", RuleAction: "deny", RuleNumber: 32767},
			{CidrBlock: c.cidr, Egress: false, Protocol: "6", PortRange: &portRange{From: 3306, To: 3306}, RuleAction: "allow", RuleNumber: 100},
			{CidrBlock: c.cidr, Egress: false, Protocol: "6", PortRange: &portRange{From: 5432, To: 5432}, RuleAction: "allow", RuleNumber: 110},
			{CidrBlock: "0.0.0.0/0", Egress: false, Protocol: "6", PortRange: &portRange{From: 22, To: 22}, RuleAction: "deny", RuleNumber: 120},
			{CidrBlock: "0.0.0.0/0", Egress: false, Protocol: "-1", RuleAction: "deny", RuleNumber: 32767},
		},
		NetworkACLID: dataID,
		Tags:         tags("Name", c.name+"-data-acl", "Tier", "data"),
		VpcID:        c.id,
		OwnerID:      m.o.Account,
	}
	for _, s := range c.data {
		data.Associations = append(data.Associations, naclAssoc{
			NetworkACLAssociationID: m.id("aclassoc"), NetworkACLID: dataID, SubnetID: s.out.SubnetID,
		})
	}
	m.nacls = append(m.nacls, data)
}

// ---- security groups ----

func (m *model) newSG(c *vpcCtx, name, description string, kv ...string) *securityGroupOut {
	id := m.id("sg")
	sg := &securityGroupOut{
		Description:   description,
		GroupName:     name,
		IPPermissions: []permission{},
		OwnerID:       m.o.Account,
		GroupID:       id,
		IPPermissionsEgress: []permission{{
			IPProtocol:       "-1",
			IPRanges:         []ipRange{{CidrIP: "0.0.0.0/0"}},
			Ipv6Ranges:       []ipv6Range{},
			PrefixListIDs:    []prefixListRef{},
			UserIDGroupPairs: []groupPair{},
		}},
		VpcID:            c.id,
		SecurityGroupArn: m.arn("ec2", "security-group/"+id),
	}
	if name != "default" {
		sg.Tags = tags(append([]string{"Name", name}, kv...)...)
	}
	m.sgs = append(m.sgs, sg)
	return sg
}

func ref(sg *securityGroupOut) groupIdentifier {
	return groupIdentifier{GroupID: sg.GroupID, GroupName: sg.GroupName}
}

// source is one origin of an ingress rule: exactly one field is set.
type source struct {
	cidr, cidr6, prefixList, group, description string
}

// allow adds an ingress rule; rules with the same protocol and ports share one permission, as
// describe-security-groups prints them. from < 0 means all ports (protocol -1).
func (m *model) allow(sg *securityGroupOut, protocol string, from, to int, src source) {
	var p *permission
	for i := range sg.IPPermissions {
		q := &sg.IPPermissions[i]
		if q.IPProtocol == protocol && portEq(q.FromPort, from) && portEq(q.ToPort, to) {
			p = q
			break
		}
	}
	if p == nil {
		sg.IPPermissions = append(sg.IPPermissions, permission{
			IPProtocol: protocol, IPRanges: []ipRange{}, Ipv6Ranges: []ipv6Range{},
			PrefixListIDs: []prefixListRef{}, UserIDGroupPairs: []groupPair{},
		})
		p = &sg.IPPermissions[len(sg.IPPermissions)-1]
		if from >= 0 {
			p.FromPort, p.ToPort = &from, &to
		}
	}
	switch {
	case src.cidr != "":
		p.IPRanges = append(p.IPRanges, ipRange{CidrIP: src.cidr, Description: src.description})
	case src.cidr6 != "":
		p.Ipv6Ranges = append(p.Ipv6Ranges, ipv6Range{CidrIpv6: src.cidr6, Description: src.description})
	case src.prefixList != "":
		p.PrefixListIDs = append(p.PrefixListIDs, prefixListRef{PrefixListID: src.prefixList, Description: src.description})
	default:
		p.UserIDGroupPairs = append(p.UserIDGroupPairs, groupPair{GroupID: src.group, UserID: m.o.Account, Description: src.description})
	}
}

func portEq(p *int, v int) bool {
	if p == nil {
		return v < 0
	}
	return *p == v
}

func (m *model) tcp(sg *securityGroupOut, port int, src source) { m.allow(sg, "tcp", port, port, src) }

func (m *model) addVPCGroups(c *vpcCtx) {
	def := m.newSG(c, "default", "default VPC security group")
	m.allow(def, "-1", -1, -1, source{group: def.GroupID})

	bastion := m.newSG(c, c.name+"-bastion", "SSH from the operators", "Tier", "bastion", "Environment", c.env)
	m.tcp(bastion, 22, source{cidr: adminCIDR, description: "on-call admin"})
	m.tcp(bastion, 22, source{prefixList: m.prefixLists[0].PrefixListID, description: "corporate networks"})
	c.bastionSG = ref(bastion)

	web := m.newSG(c, c.name+"-legacy-web", "legacy web servers", "Tier", "web", "Environment", c.env)
	m.tcp(web, 80, source{cidr: "0.0.0.0/0", description: "HTTP"})
	m.tcp(web, 443, source{cidr: "0.0.0.0/0", description: "HTTPS"})
	m.tcp(web, 22, source{cidr: adminCIDR, description: "admin SSH"})
	c.webSG = ref(web)

	open := m.newSG(c, c.name+"-launch-wizard-1", "launch-wizard-1 created 2019-11-04T10:12:55.101Z")
	m.allow(open, "-1", -1, -1, source{cidr: "0.0.0.0/0"})
	c.openSG = ref(open)

	worker := m.newSG(c, c.name+"-workers", "background workers", "Tier", "app", "Environment", c.env)
	m.tcp(worker, 22, source{group: bastion.GroupID, description: "SSH from the bastion"})
	m.tcp(worker, 9100, source{cidr: c.cidr, description: "node exporter"})
	c.workerSG = ref(worker)
}

// finishRules lists every security group's rules in describe-security-group-rules form.
func (m *model) finishRules() {
	for _, sg := range m.sgs {
		for _, egress := range []bool{false, true} {
			perms := sg.IPPermissions
			if egress {
				perms = sg.IPPermissionsEgress
			}
			for _, p := range perms {
				from, to := -1, -1
				if p.FromPort != nil {
					from, to = *p.FromPort, *p.ToPort
				}
				rule := func(desc string) securityGroupRuleOut {
					id := m.id("sgr")
					return securityGroupRuleOut{
						SecurityGroupRuleID: id, GroupID: sg.GroupID, GroupOwnerID: m.o.Account,
						IsEgress: egress, IPProtocol: p.IPProtocol, FromPort: from, ToPort: to,
						Description: desc, Tags: []tag{},
						SecurityGroupRuleArn: m.arn("ec2", "security-group-rule/"+id),
					}
				}
				for _, r := range p.IPRanges {
					out := rule(r.Description)
					out.CidrIpv4 = r.CidrIP
					m.sgRules = append(m.sgRules, out)
				}
				for _, r := range p.Ipv6Ranges {
					out := rule(r.Description)
					out.CidrIpv6 = r.CidrIpv6
					m.sgRules = append(m.sgRules, out)
				}
				for _, r := range p.PrefixListIDs {
					out := rule(r.Description)
					out.PrefixListID = r.PrefixListID
					m.sgRules = append(m.sgRules, out)
				}
				for _, r := range p.UserIDGroupPairs {
					out := rule(r.Description)
					out.ReferencedGroupInfo = &referencedGroup{GroupID: r.GroupID, UserID: r.UserID}
					m.sgRules = append(m.sgRules, out)
				}
			}
		}
	}
}

// ---- instances ----

func kindOf(name string) instanceKind {
	for _, k := range instanceKinds() {
		if k.name == name {
			return k
		}
	}
	return instanceKind{name: name, vcpus: 2}
}

// newInstance allocates an instance's ids and private address in subnet.
func (m *model) newInstance(c *vpcCtx, subnet *subnetPlan, groups []groupIdentifier, kind string) (*instancePlan, error) {
	ip, err := subnet.take()
	if err != nil {
		return nil, err
	}
	p := &instancePlan{
		id:            m.id("i"),
		eniID:         m.id("eni"),
		reservationID: m.id("r"),
		vpcID:         c.id,
		subnet:        subnet,
		groups:        groups,
		privateIP:     ip,
		kind:          kindOf(kind),
		running:       true,
		launch:        m.when(),
		volumes:       []string{m.id("vol")},
		mac:           m.mac("mac"),
		clientToken:   m.uuid("token"),
	}
	if m.chance(pExtraVolume) {
		p.volumes = append(p.volumes, m.id("vol"))
	}
	m.instances = append(m.instances, p)
	return p, nil
}

// addStandalone adds an instance outside any Auto Scaling group. public gives it an
// auto-assigned public IP, eip an Elastic IP instead.
func (m *model) addStandalone(c *vpcCtx, role string, subnet *subnetPlan, sg groupIdentifier, kind string, public, eip bool) error {
	p, err := m.newInstance(c, subnet, []groupIdentifier{sg}, kind)
	if err != nil {
		return err
	}
	ordinal := m.counters["name-"+role+"-"+c.id]
	m.counters["name-"+role+"-"+c.id] = ordinal + 1
	tier := map[string]string{"bastion": "bastion", "web": "web", "worker": "app"}[role]
	p.tags = tags("Name", fmt.Sprintf("%s-%s-%d", c.name, role, ordinal+1), "Tier", tier, "Environment", c.env)
	p.keyName = "ops-2024"
	p.profile = c.name + "-" + role
	p.imdsv2 = role == "bastion"
	if role != "bastion" && m.chance(pStopped) {
		p.running = false
	}
	switch {
	case eip:
		p.publicIP = m.publicIP()
		p.eipAlloc, p.eipAssoc = m.id("eipalloc"), m.id("eipassoc")
		m.addresses = append(m.addresses, addressOut{
			AllocationID:            p.eipAlloc,
			AssociationID:           p.eipAssoc,
			Domain:                  "vpc",
			NetworkInterfaceID:      p.eniID,
			NetworkInterfaceOwnerID: m.o.Account,
			PrivateIPAddress:        ipString(p.privateIP),
			Tags:                    tags("Name", p.tags[0].Value),
			PublicIpv4Pool:          "amazon",
			NetworkBorderGroup:      m.o.Region,
			InstanceID:              p.id,
			PublicIP:                ipString(p.publicIP),
		})
	case public && p.running:
		p.publicIP = m.publicIP()
	}
	return nil
}

// ---- services: ALB, target group, listeners, launch template, ASG, policy, RDS ----

func (m *model) addService(c *vpcCtx, size int) error {
	gs := m.services
	m.services++
	name := fmt.Sprintf("%s-%d", serviceWord(gs), gs)
	internal := gs%5 == 4 || m.chance(pInternalLB)

	albSG := m.newSG(c, name+"-alb", "load balancer of "+name, "Tier", "edge", "Environment", c.env, "Service", name)
	if internal {
		m.tcp(albSG, 80, source{cidr: c.cidr, description: "HTTP from the VPC"})
	} else {
		m.tcp(albSG, 80, source{cidr: "0.0.0.0/0", description: "HTTP (redirected)"})
		m.tcp(albSG, 443, source{cidr: "0.0.0.0/0", description: "HTTPS"})
		if m.chance(pIPv6Listener) {
			m.tcp(albSG, 80, source{cidr6: "::/0", description: "HTTP (redirected)"})
			m.tcp(albSG, 443, source{cidr6: "::/0", description: "HTTPS"})
		}
	}
	appSG := m.newSG(c, name+"-app", "application servers of "+name, "Tier", "app", "Environment", c.env, "Service", name)
	m.tcp(appSG, 8080, source{group: albSG.GroupID, description: "from the load balancer"})
	if c.prevAppSG != "" && m.chance(pMesh) {
		m.tcp(appSG, 8080, source{group: c.prevAppSG, description: "calls from the upstream service"})
	}
	m.tcp(appSG, 22, source{group: c.bastionSG.GroupID, description: "SSH from the bastion"})
	if gs%12 == 1 || m.chance(pSSHOpen) {
		m.tcp(appSG, 22, source{cidr: "0.0.0.0/0", description: "temporary debugging"})
	}
	m.tcp(appSG, 9100, source{cidr: c.cidr, description: "node exporter"})
	c.prevAppSG = appSG.GroupID

	engine, port, version := "mysql", 3306, "8.0.39"
	if m.rng.IntN(2) == 1 {
		engine, port, version = "postgres", 5432, "16.4"
	}
	dbSG := m.newSG(c, name+"-db", "database of "+name, "Tier", "data", "Environment", c.env, "Service", name)
	m.tcp(dbSG, port, source{group: appSG.GroupID, description: "from the application servers"})
	if gs%25 == 2 || m.chance(pDBOpen) {
		m.tcp(dbSG, port, source{cidr: "0.0.0.0/0", description: "reporting tool"})
	}

	svcTags := []string{"Environment", c.env, "Service", name}

	// Load balancer, target group, listeners.
	lbName := name + "-alb"
	lbHex := m.hex16("lb")
	lbArn := m.arn("elasticloadbalancing", "loadbalancer/app/"+lbName+"/"+lbHex)
	scheme, subnets := "internet-facing", c.pub
	if internal {
		scheme, subnets = "internal", c.priv
	}
	lb := loadBalancerOut{
		LoadBalancerArn:       lbArn,
		DNSName:               fmt.Sprintf("%s-%d.%s.elb.amazonaws.com", lbName, m.hash64("dns", uint64(gs))%1e9, m.o.Region),
		CanonicalHostedZoneID: "Z35SXDOTRQ7X7K",
		CreatedTime:           stamp(m.when()),
		LoadBalancerName:      lbName,
		Scheme:                scheme,
		VpcID:                 c.id,
		State:                 lbState{Code: "active"},
		Type:                  "application",
		SecurityGroups:        []string{albSG.GroupID},
		IPAddressType:         "ipv4",
	}
	if internal {
		lb.DNSName = "internal-" + lb.DNSName
	}
	for k, s := range subnets {
		lb.AvailabilityZones = append(lb.AvailabilityZones, lbAZ{ZoneName: m.az(k), SubnetID: s.out.SubnetID, LoadBalancerAddresses: []struct{}{}})
		ip, err := s.take()
		if err != nil {
			return err
		}
		m.enis = append(m.enis, networkInterfaceOut{
			Attachment: &eniAttachment{
				AttachmentID: m.id("ela-attach"), DeleteOnTermination: false, DeviceIndex: 1,
				InstanceOwnerID: "amazon-elb", Status: "attached",
			},
			AvailabilityZone:   m.az(k),
			Description:        "ELB app/" + lbName + "/" + lbHex,
			Groups:             []groupIdentifier{ref(albSG)},
			InterfaceType:      "interface",
			Ipv6Addresses:      []struct{}{},
			MacAddress:         m.mac("mac"),
			NetworkInterfaceID: m.id("eni"),
			OwnerID:            m.o.Account,
			PrivateDNSName:     m.privateDNS(ip),
			PrivateIPAddress:   ipString(ip),
			PrivateIPAddresses: []privateIP{{Primary: true, PrivateDNSName: m.privateDNS(ip), PrivateIPAddress: ipString(ip)}},
			RequesterID:        "amazon-elb",
			RequesterManaged:   true,
			SourceDestCheck:    true,
			Status:             "in-use",
			SubnetID:           s.out.SubnetID,
			TagSet:             []tag{},
			VpcID:              c.id,
		})
	}
	m.lbs = append(m.lbs, lb)

	tgName := name + "-tg"
	tgArn := m.arn("elasticloadbalancing", "targetgroup/"+tgName+"/"+m.hex16("tg"))
	m.tgs = append(m.tgs, targetGroupOut{
		TargetGroupArn: tgArn, TargetGroupName: tgName, Protocol: "HTTP", Port: 8080, VpcID: c.id,
		HealthCheckProtocol: "HTTP", HealthCheckPort: "traffic-port", HealthCheckEnabled: true,
		HealthCheckIntervalSeconds: 30, HealthCheckTimeoutSeconds: 5, HealthyThresholdCount: 5,
		UnhealthyThresholdCount: 2, HealthCheckPath: "/health", Matcher: matcher{HTTPCode: "200"},
		LoadBalancerArns: []string{lbArn}, TargetType: "instance", ProtocolVersion: "HTTP1",
		IPAddressType: "ipv4",
	})
	listener := func(port int, protocol string) listenerOut {
		return listenerOut{
			ListenerArn:     m.arn("elasticloadbalancing", "listener/app/"+lbName+"/"+lbHex+"/"+m.hex16("listener")),
			LoadBalancerArn: lbArn, Port: port, Protocol: protocol,
		}
	}
	forward := action{
		Type: "forward", TargetGroupArn: tgArn, Order: 1,
		ForwardConfig: &forwardConfig{TargetGroups: []weightedTG{{TargetGroupArn: tgArn, Weight: 1}}},
	}
	if internal {
		l := listener(80, "HTTP")
		l.DefaultActions = []action{forward}
		m.listeners = append(m.listeners, l)
	} else {
		redirect := listener(80, "HTTP")
		redirect.DefaultActions = []action{{
			Type: "redirect", Order: 1,
			RedirectConfig: &redirectConfig{Protocol: "HTTPS", Port: "443", Host: "#{host}", Path: "/#{path}", Query: "#{query}", StatusCode: "HTTP_301"},
		}}
		https := listener(443, "HTTPS")
		https.Certificates = []certificate{{CertificateArn: m.arn("acm", "certificate/"+m.uuid("cert"))}}
		https.SslPolicy = "ELBSecurityPolicy-TLS13-1-2-2021-06"
		https.DefaultActions = []action{forward}
		m.listeners = append(m.listeners, redirect, https)
	}

	// Launch template.
	ltName, ltID := name+"-lt", m.id("lt")
	kind := m.randomKind()
	versions := 1
	if m.chance(pSecondLTVersion) {
		versions = 2
	}
	created := m.when()
	m.launchTemplates = append(m.launchTemplates, launchTemplateOut{
		CreateTime: stamp(created), CreatedBy: "arn:aws:iam::" + m.o.Account + ":role/deployer",
		DefaultVersionNumber: versions, LatestVersionNumber: versions,
		LaunchTemplateID: ltID, LaunchTemplateName: ltName, Tags: tags(svcTags...),
	})
	for v := 1; v <= versions; v++ {
		m.ltVersions = append(m.ltVersions, launchTemplateVersionOut{
			LaunchTemplateID: ltID, LaunchTemplateName: ltName, VersionNumber: v,
			VersionDescription: fmt.Sprintf("release %d", v),
			CreateTime:         stamp(created.Add(time.Duration(v-1) * 72 * time.Hour)),
			CreatedBy:          "arn:aws:iam::" + m.o.Account + ":role/deployer",
			DefaultVersion:     v == versions,
			LaunchTemplateData: launchTemplateData{
				IamInstanceProfile: ltIAMProfile{Arn: "arn:aws:iam::" + m.o.Account + ":instance-profile/" + name + "-app"},
				BlockDeviceMappings: []ltBlockDevice{{
					DeviceName: "/dev/xvda",
					Ebs:        ltEbs{Encrypted: true, DeleteOnTermination: true, VolumeSize: 30, VolumeType: "gp3"},
				}},
				ImageID:      ami,
				InstanceType: kind,
				Monitoring:   enabledOnly{Enabled: true},
				UserData:     "IyEvYmluL2Jhc2gKc3lzdGVtY3RsIHN0YXJ0IGFwcAo=",
				TagSpecifications: []tagSpecification{{
					ResourceType: "instance", Tags: tags("Tier", "app", "Environment", c.env),
				}},
				SecurityGroupIDs: []string{appSG.GroupID},
				MetadataOptions:  ltMetadataOptions{HTTPTokens: "required", HTTPPutResponseHopLimit: 2, HTTPEndpoint: "enabled"},
			},
		})
	}

	// Auto Scaling group and its instances.
	asgName := name + "-asg"
	asg := autoScalingGroupOut{
		AutoScalingGroupName:   asgName,
		AutoScalingGroupARN:    m.arn("autoscaling", "autoScalingGroup:"+m.uuid("asg")+":autoScalingGroupName/"+asgName),
		LaunchTemplate:         asgLaunchTemplate{LaunchTemplateID: ltID, LaunchTemplateName: ltName, Version: "$Latest"},
		MinSize:                max(1, size/2),
		MaxSize:                max(2, size*2),
		DesiredCapacity:        size,
		DefaultCooldown:        300,
		AvailabilityZones:      []string{m.az(0), m.az(1), m.az(2)},
		LoadBalancerNames:      []string{},
		TargetGroupARNs:        []string{tgArn},
		HealthCheckType:        "ELB",
		HealthCheckGracePeriod: 300,
		CreatedTime:            stamp(created),
		SuspendedProcesses:     []struct{}{},
		VPCZoneIdentifier:      c.priv[0].out.SubnetID + "," + c.priv[1].out.SubnetID + "," + c.priv[2].out.SubnetID,
		EnabledMetrics:         []struct{}{},
		Tags: []asgTag{
			{ResourceID: asgName, ResourceType: "auto-scaling-group", Key: "Name", Value: name + "-app", PropagateAtLaunch: true},
			{ResourceID: asgName, ResourceType: "auto-scaling-group", Key: "Service", Value: name, PropagateAtLaunch: true},
		},
		TerminationPolicies:  []string{"Default"},
		ServiceLinkedRoleARN: "arn:aws:iam::" + m.o.Account + ":role/aws-service-role/autoscaling.amazonaws.com/AWSServiceRoleForAutoScaling",
		CapacityRebalance:    false,
		TrafficSources:       []trafficSource{{Identifier: tgArn, Type: "elbv2"}},
	}
	health := targetHealthDoc{TargetGroupArn: tgArn, TargetHealthDescriptions: []targetHealthDescription{}}
	for i := range size {
		k := i % 3
		p, err := m.newInstance(c, c.priv[k], []groupIdentifier{ref(appSG)}, kind)
		if err != nil {
			return err
		}
		p.imdsv2 = true
		p.profile = name + "-app"
		p.tags = tags("Tier", "app", "Environment", c.env,
			"aws:ec2launchtemplate:id", ltID, "aws:ec2launchtemplate:version", strconv.Itoa(versions),
			"Name", name+"-app", "aws:autoscaling:groupName", asgName)
		healthy := !m.chance(pUnhealthy)
		asg.Instances = append(asg.Instances, asgInstance{
			InstanceID: p.id, InstanceType: kind, AvailabilityZone: m.az(k), LifecycleState: "InService",
			HealthStatus:   map[bool]string{true: "Healthy", false: "Unhealthy"}[healthy],
			LaunchTemplate: asgLaunchTemplate{LaunchTemplateID: ltID, LaunchTemplateName: ltName, Version: strconv.Itoa(versions)},
		})
		d := targetHealthDescription{
			Target: target{ID: p.id, Port: 8080}, HealthCheckPort: "8080",
			TargetHealth: targetHealth{State: "healthy"},
		}
		if !healthy {
			d.TargetHealth = targetHealth{State: "unhealthy", Reason: "Target.FailedHealthChecks", Description: "Health checks failed"}
		}
		health.TargetHealthDescriptions = append(health.TargetHealthDescriptions, d)
	}
	m.asgs = append(m.asgs, asg)
	m.health = append(m.health, health)
	cpu := []float64{40, 50, 60, 70}[m.rng.IntN(4)]
	m.policies = append(m.policies, scalingPolicyOut{
		AutoScalingGroupName:    asgName,
		PolicyName:              "cpu-target-tracking",
		PolicyARN:               m.arn("autoscaling", "scalingPolicy:"+m.uuid("policy")+":autoScalingGroupName/"+asgName+":policyName/cpu-target-tracking"),
		PolicyType:              "TargetTrackingScaling",
		StepAdjustments:         []struct{}{},
		EstimatedInstanceWarmup: 300,
		Alarms: []alarm{
			{AlarmName: "TargetTracking-" + asgName + "-AlarmHigh-" + m.uuid("alarm"), AlarmARN: m.arn("cloudwatch", "alarm:TargetTracking-"+asgName+"-AlarmHigh")},
			{AlarmName: "TargetTracking-" + asgName + "-AlarmLow-" + m.uuid("alarm"), AlarmARN: m.arn("cloudwatch", "alarm:TargetTracking-"+asgName+"-AlarmLow")},
		},
		TargetTrackingConfiguration: targetTracking{
			PredefinedMetricSpecification: predefinedMetric{PredefinedMetricType: "ASGAverageCPUUtilization"},
			TargetValue:                   cpu,
		},
		Enabled: true,
	})

	return m.addDatabase(c, name, engine, version, port, dbSG)
}

func (m *model) addDatabase(c *vpcCtx, name, engine, version string, port int, dbSG *securityGroupOut) error {
	id := name + "-db"
	k := m.rng.IntN(3)
	multiAZ := m.chance(pMultiAZ)
	public := m.services%25 == 4 || m.chance(pDBPublic)
	created := m.when()
	db := dbInstanceOut{
		DBInstanceIdentifier: id,
		DBInstanceClass:      []string{"db.t3.medium", "db.m6g.large", "db.r6g.large"}[m.rng.IntN(3)],
		Engine:               engine,
		DBInstanceStatus:     "available",
		MasterUsername:       "app_admin",
		DBName:               strings.ReplaceAll(strings.Split(name, "-")[0], "-", "_"),
		Endpoint: dbEndpoint{
			Address: fmt.Sprintf("%s.c%010d.%s.rds.amazonaws.com", id, m.hash64("rds", uint64(m.services))%1e10, m.o.Region),
			Port:    port, HostedZoneID: "Z2R2ITUGPM61AM",
		},
		AllocatedStorage:      []int{20, 50, 100, 200}[m.rng.IntN(4)],
		InstanceCreateTime:    stamp(created),
		PreferredBackupWindow: "03:00-03:30",
		BackupRetentionPeriod: 7,
		DBSecurityGroups:      []struct{}{},
		VpcSecurityGroups:     []vpcSecurityGroupMembership{{VpcSecurityGroupID: dbSG.GroupID, Status: "active"}},
		DBParameterGroups: []dbParameterGroupStatus{{
			DBParameterGroupName: "default." + engine + strings.Join(strings.Split(version, ".")[:1+btoi(engine == "mysql")], "."),
			ParameterApplyStatus: "in-sync",
		}},
		AvailabilityZone:                 m.az(k),
		DBSubnetGroup:                    c.dbSubnetGroup,
		PreferredMaintenanceWindow:       "sun:05:00-sun:05:30",
		LatestRestorableTime:             stamp(m.base.Add(180 * 24 * time.Hour)),
		MultiAZ:                          multiAZ,
		EngineVersion:                    version,
		AutoMinorVersionUpgrade:          true,
		ReadReplicaDBInstanceIdentifiers: []string{},
		LicenseModel:                     map[string]string{"mysql": "general-public-license", "postgres": "postgresql-license"}[engine],
		OptionGroupMemberships:           []optionGroupMembership{{OptionGroupName: "default:" + engine + "-" + strings.ReplaceAll(strings.Join(strings.Split(version, ".")[:1+btoi(engine == "mysql")], "-"), ".", "-"), Status: "in-sync"}},
		PubliclyAccessible:               public,
		StorageType:                      "gp3",
		DbInstancePort:                   0,
		StorageEncrypted:                 true,
		KmsKeyID:                         m.arn("kms", "key/"+m.uuid("kms")),
		DbiResourceID:                    "db-" + m.upper("dbi", 26),
		CACertificateIdentifier:          "rds-ca-rsa2048-g1",
		DomainMemberships:                []struct{}{},
		CopyTagsToSnapshot:               true,
		MonitoringInterval:               60,
		DBInstanceArn:                    m.arn("rds", "db:"+id),
		IAMDatabaseAuthenticationEnabled: false,
		PerformanceInsightsEnabled:       false,
		DeletionProtection:               c.env == "production",
		AssociatedRoles:                  []struct{}{},
		TagList:                          tags("Name", id, "Tier", "data", "Environment", c.env, "Service", name),
		BackupTarget:                     "region",
		NetworkType:                      "IPV4",
		StorageThroughput:                125,
		Iops:                             3000,
	}
	if multiAZ {
		db.SecondaryAvailabilityZone = m.az((k + 1) % 3)
	}
	m.dbs = append(m.dbs, db)

	ip, err := c.data[k].take()
	if err != nil {
		return err
	}
	eni := networkInterfaceOut{
		Attachment: &eniAttachment{
			AttachmentID: m.id("eni-attach"), DeviceIndex: 1, InstanceOwnerID: "amazon-rds", Status: "attached",
		},
		AvailabilityZone:   m.az(k),
		Description:        "RDSNetworkInterface",
		Groups:             []groupIdentifier{ref(dbSG)},
		InterfaceType:      "interface",
		Ipv6Addresses:      []struct{}{},
		MacAddress:         m.mac("mac"),
		NetworkInterfaceID: m.id("eni"),
		OwnerID:            m.o.Account,
		PrivateDNSName:     m.privateDNS(ip),
		PrivateIPAddress:   ipString(ip),
		PrivateIPAddresses: []privateIP{{Primary: true, PrivateDNSName: m.privateDNS(ip), PrivateIPAddress: ipString(ip)}},
		RequesterID:        "amazon-rds",
		RequesterManaged:   true,
		SourceDestCheck:    true,
		Status:             "in-use",
		SubnetID:           c.data[k].out.SubnetID,
		TagSet:             []tag{},
		VpcID:              c.id,
	}
	if public {
		pub := m.publicIP()
		eni.Association = &ipAssociation{IPOwnerID: "amazon-rds", PublicDNSName: m.publicDNS(pub), PublicIP: ipString(pub)}
		eni.PrivateIPAddresses[0].Association = eni.Association
	}
	m.enis = append(m.enis, eni)
	return nil
}

func btoi(b bool) int {
	if b {
		return 1
	}
	return 0
}
