package reach

import (
	"cmp"
	"fmt"
	"slices"
	"sort"
	"strings"

	"github.com/vpcgate/vpcgate/analyzer/graph"
)

// attach is one place a node meets the network: a subnet, its security
// groups and its addresses.
type attach struct {
	subnet string
	sgs    []string
	noSG   bool // a network load balancer without security groups
	eni    string
	public bool   // a public IPv4 address or Elastic IP
	addr   string // that address, when known
	v6     bool   // an IPv6 address
}

// target is a node whose reachability from the internet is evaluated.
type target struct {
	id       string
	kind     graph.Kind
	attaches []attach
	gate     *block // a resource gate that blocks everything
	noPublic string // why there is no public IPv4 address
	want     want
	detail   string
	// listeners of a load balancer by protocol and port.
	listeners map[string]map[int]*graph.Listener
}

func isIaC(b *graph.Base) bool {
	return b.Source.Form == graph.FormTerraform || b.Source.Form == graph.FormCloudFormation
}

// publicByDefault says whether a subnet gives new interfaces a public IPv4
// address when the request (req) does not say.
func (ix *index) publicByDefault(req *bool, subnet string) bool {
	if req != nil {
		return *req
	}
	s := ix.subnets[subnet]
	return s != nil && s.MapPublicIPOnLaunch
}

func (ix *index) eniAttach(e *graph.NetworkInterface) attach {
	a := attach{subnet: e.SubnetID, sgs: uniq(e.SecurityGroups), eni: e.ID, v6: len(e.IPv6Addresses) > 0}
	switch {
	case e.PublicIP != "":
		a.public, a.addr = true, e.PublicIP
	case e.AllocationID != "":
		a.public, a.addr = true, e.AllocationID
	case ix.eipByENI[e.ID] != nil:
		a.public, a.addr = true, ix.eipByENI[e.ID].PublicIP
	}
	return a
}

// stoppedDB reports whether an RDS status means the database serves
// nothing.
func stoppedDB(status string) bool {
	switch status {
	case "stopped", "stopping", "deleting", "failed", "creating", "inaccessible-encryption-credentials":
		return true
	}
	return false
}

// targetFor describes how node n meets the network; ok is false for kinds
// without network presence.
func (ix *index) targetFor(n graph.Node) (*target, bool) {
	b := n.Meta()
	t := &target{id: b.ID, kind: b.Kind, want: wantAll}
	switch v := n.(type) {
	case *graph.Instance:
		ix.instanceTarget(t, v)
	case *graph.NetworkInterface:
		t.attaches = []attach{ix.eniAttach(v)}
		t.noPublic = "network interface " + v.ID + " has no public IPv4 address or Elastic IP"
		t.detail = "network interface in " + v.SubnetID
		switch {
		case v.InterfaceType == "nat_gateway":
			t.gate = newBlock(stGate, CodeNoDestination, v.ID, "network interface %s belongs to a NAT gateway, which accepts no connection initiated from the internet", v.ID)
		case ix.instanceNotRunning(v.InstanceID) != "":
			t.gate = newBlock(stGate, CodeBadState, v.InstanceID, "network interface %s is attached to instance %s, which is %s", v.ID, v.InstanceID, ix.instanceNotRunning(v.InstanceID))
		case v.InstanceID == "" && !v.RequesterManaged && v.Status == "available":
			t.gate = newBlock(stGate, CodeNoPublicIP, v.ID, "network interface %s is not attached: an internet gateway delivers only to interfaces with an available attachment", v.ID)
		}
	case *graph.LoadBalancer:
		ix.lbTarget(t, v)
	case *graph.DBInstance:
		t.detail = fmt.Sprintf("%s database", v.Engine)
		if v.Port > 0 {
			t.want = wantOne("tcp", spans{{v.Port, v.Port}})
			t.detail = fmt.Sprintf("%s database listening on %d", v.Engine, v.Port)
		}
		if stoppedDB(v.Status) {
			t.gate = newBlock(stGate, CodeBadState, v.ID, "DB instance %s is %s", v.ID, v.Status)
		}
		t.noPublic = "DB instance " + v.ID + " is not publicly accessible: it has no public address"
		ix.dbAttaches(t, v.DBSubnetGroup, v.SecurityGroups, v.PubliclyAccessible)
	case *graph.DBCluster:
		public := v.PubliclyAccessible
		for _, m := range v.Members {
			if d, ok := graph.Get[*graph.DBInstance](ix.g, m); ok && d.PubliclyAccessible {
				public = true
			}
		}
		t.detail = fmt.Sprintf("%s cluster", v.Engine)
		if v.Port > 0 {
			t.want = wantOne("tcp", spans{{v.Port, v.Port}})
			t.detail = fmt.Sprintf("%s cluster listening on %d", v.Engine, v.Port)
		}
		if stoppedDB(v.Status) {
			t.gate = newBlock(stGate, CodeBadState, v.ID, "DB cluster %s is %s", v.ID, v.Status)
		}
		t.noPublic = "DB cluster " + v.ID + " is not publicly accessible: it has no public address"
		ix.dbAttaches(t, v.DBSubnetGroup, v.SecurityGroups, public)
	case *graph.NATGateway:
		t.attaches = []attach{{subnet: v.SubnetID}}
		t.gate = newBlock(stGate, CodeNoDestination, v.ID, "NAT gateway %s accepts no connection initiated from the internet", v.ID)
	case *graph.AutoScalingGroup:
		lt := ix.lts[v.LaunchTemplateID]
		var sgs []string
		var req *bool
		if lt != nil {
			sgs, req = uniq(lt.AllSecurityGroups()), lt.AssociatePublicIP
		}
		for _, s := range uniq(v.SubnetIDs) {
			sub := ix.subnets[s]
			t.attaches = append(t.attaches, attach{subnet: s, sgs: sgs, public: ix.publicByDefault(req, s), v6: sub != nil && sub.AssignIPv6OnCreate})
		}
		t.noPublic = "instances launched by " + v.ID + " get no public IPv4 address"
		t.detail = "instances of the Auto Scaling group"
		if v.MaxSize == 0 && v.DesiredCapacity == 0 && len(v.Instances) == 0 {
			t.gate = newBlock(stGate, CodeBadState, v.ID, "Auto Scaling group %s has a maximum size of 0", v.ID)
		}
	case *graph.ECSService:
		for _, s := range uniq(v.SubnetIDs) {
			t.attaches = append(t.attaches, attach{subnet: s, sgs: uniq(v.SecurityGroups), public: v.AssignPublicIP})
		}
		t.noPublic = "tasks of " + v.ID + " get no public IPv4 address (assign_public_ip is off)"
		t.detail = "tasks of the ECS service"
	default:
		return nil, false
	}
	return t, true
}

// instanceNotRunning returns the state of instance id when it is in the
// graph and not running, else "".
func (ix *index) instanceNotRunning(id string) string {
	if i, ok := graph.Get[*graph.Instance](ix.g, id); ok && i.State != "" && i.State != "running" {
		return i.State
	}
	return ""
}

func (ix *index) instanceTarget(t *target, v *graph.Instance) {
	state := v.State
	if state == "" {
		state = "running"
	}
	t.detail = "instance " + state
	if state != "running" {
		t.gate = newBlock(stGate, CodeBadState, v.ID, "instance %s is %s, not running", v.ID, state)
	}
	t.noPublic = "instance " + v.ID + " has no public IPv4 address or Elastic IP"
	eip := ix.eipByInst[v.ID]
	instPublic := v.PublicIP != "" || eip != nil || (isIaC(&v.Base) && ix.publicByDefault(v.AssociatePublicIP, v.SubnetID))
	instAddr := v.PublicIP
	if instAddr == "" && eip != nil {
		instAddr = eip.PublicIP
	}
	sub := ix.subnets[v.SubnetID]
	instV6 := len(v.IPv6Addresses) > 0 || (isIaC(&v.Base) && sub != nil && sub.AssignIPv6OnCreate)
	cands := v.NetworkInterfaces
	if extra := ix.enisByInst[v.ID]; !subset(extra, cands) {
		cands = uniq(append(append([]string(nil), cands...), extra...))
	}
	known := 0
	for _, id := range cands {
		if ix.enis[id] != nil {
			known++
		}
	}
	primary := ""
	if len(v.NetworkInterfaces) > 0 {
		primary = v.NetworkInterfaces[0]
	}
	for _, id := range cands {
		e := ix.enis[id]
		if e == nil {
			continue
		}
		a := ix.eniAttach(e)
		if id == primary || known == 1 {
			if !a.public && instPublic {
				a.public, a.addr = true, instAddr
			}
			a.v6 = a.v6 || instV6
			if len(a.sgs) == 0 {
				a.sgs = uniq(v.SecurityGroups)
			}
		}
		t.attaches = append(t.attaches, a)
	}
	if len(t.attaches) == 0 {
		t.attaches = []attach{{subnet: v.SubnetID, sgs: uniq(v.SecurityGroups), public: instPublic, addr: instAddr, v6: instV6}}
	}
}

// subset reports whether every string of a is in b.
func subset(a, b []string) bool {
	for _, x := range a {
		if !slices.Contains(b, x) {
			return false
		}
	}
	return true
}

// listenerProtos maps a listener protocol to IP protocols.
func listenerProtos(p string) []string {
	switch strings.ToUpper(p) {
	case "UDP", "GENEVE":
		return []string{"udp"}
	case "TCP_UDP":
		return []string{"tcp", "udp"}
	}
	return []string{"tcp"}
}

func (ix *index) lbTarget(t *target, v *graph.LoadBalancer) {
	t.detail = fmt.Sprintf("%s load balancer, %s", v.Type, v.Scheme)
	t.noPublic = "load balancer " + v.ID + " is internal: its nodes have only private addresses"
	t.listeners = map[string]map[int]*graph.Listener{}
	by := map[string]spans{}
	var keys []string
	for _, l := range ix.listeners[v.ID] {
		for _, p := range listenerProtos(l.Protocol) {
			if t.listeners[p] == nil {
				t.listeners[p] = map[int]*graph.Listener{}
			}
			if _, dup := t.listeners[p][l.Port]; !dup {
				t.listeners[p][l.Port] = l
			}
			by[p] = by[p].union(spans{{l.Port, l.Port}})
			keys = append(keys, fmt.Sprintf("%s%d", p, l.Port))
		}
	}
	sort.Strings(keys)
	t.want = want{key: strings.Join(keys, ","), by: by}
	public := v.InternetFacing()
	sgs := uniq(v.SecurityGroups)
	for _, s := range uniq(v.SubnetIDs) {
		t.attaches = append(t.attaches, attach{subnet: s, sgs: sgs, noSG: len(sgs) == 0 && v.Type == "network", public: public, v6: strings.HasPrefix(v.IPAddressType, "dualstack")})
	}
	switch {
	case v.Type == "gateway":
		t.gate = newBlock(stGate, CodeNoDestination, v.ID, "gateway load balancer %s receives traffic only through its endpoints", v.ID)
	case v.State != "" && v.State != "active" && v.State != "active_impaired":
		t.gate = newBlock(stGate, CodeBadState, v.ID, "load balancer %s is %s", v.ID, v.State)
	case len(by) == 0:
		code := CodeLBNoListener
		if v.Type == "classic" {
			code = CodeCLBNoListener
		}
		t.gate = newBlock(stGate, code, v.ID, "load balancer %s has no listener", v.ID)
	}
}

func (ix *index) dbAttaches(t *target, group string, sgs []string, public bool) {
	g := ix.dbsgs[group]
	if g == nil {
		return
	}
	for _, s := range uniq(g.SubnetIDs) {
		t.attaches = append(t.attaches, attach{subnet: s, sgs: uniq(sgs), public: public})
	}
}

// evaluate computes what reaches t from the internet on the protocols and
// ports of w: the exposures, else the block on the most open path.
func (ix *index) evaluate(t *target, w want) ([]graph.Exposure, *block) {
	if t.gate != nil {
		return nil, t.gate
	}
	if len(t.attaches) == 0 {
		return nil, newBlock(stSubnet, CodeUnknownDest, t.id, "no subnet of %s is known", t.id)
	}
	var out []graph.Exposure
	var blk *block
	for _, a := range t.attaches {
		s := ix.subnets[a.subnet]
		if s == nil {
			blk = further(blk, newBlock(stSubnet, CodeUnknownDest, t.id, "subnet %q of %s is not in the input", a.subnet, t.id))
			continue
		}
		igw, assumed := ix.igwFor(s.VPCID)
		if igw == "" {
			blk = further(blk, newBlock(stIGW, CodeNoIGW, s.VPCID, "no internet gateway is attached to %s", s.VPCID))
			continue
		}
		if vpc, ok := graph.Get[*graph.VPC](ix.g, s.VPCID); ok && (vpc.BlockPublicAccess == "block-ingress" || vpc.BlockPublicAccess == "block-bidirectional") {
			blk = further(blk, newBlock(stIGW, CodeBlockPublicAccess, s.VPCID, "VPC Block Public Access (%s) stops internet traffic at %s of %s", vpc.BlockPublicAccess, igw, s.VPCID))
			continue
		}
		fams := []family{}
		if a.public {
			fams = append(fams, ipv4)
		} else {
			if blk == nil || blk.stage < stPublicIP {
				blk = &block{stage: stPublicIP, b: graph.Blocked{Code: CodeNoPublicIP, Node: t.id, Detail: t.noPublic}}
			}
		}
		if a.v6 {
			fams = append(fams, ipv6)
		}
		for _, f := range fams {
			p := ix.profileFor(f, s, a.sgs, a.noSG, w)
			if p.block != nil {
				blk = further(blk, p.block)
			}
			for i := range p.expos {
				for _, e := range ix.exposures(t, a, igw, assumed, p, &p.expos[i]) {
					if !hasExposure(out, e) {
						out = append(out, e)
					}
				}
			}
		}
	}
	if len(out) > 0 {
		return out, nil
	}
	return nil, blk
}

// exposures turns one profile exposure into the node's exposures, with the
// hop-by-hop path (one per listener port for a load balancer).
func (ix *index) exposures(t *target, a attach, igw string, assumed bool, p *profile, pe *pexpo) []graph.Exposure {
	f := p.f
	vpc := ""
	if s := ix.subnets[a.subnet]; s != nil {
		vpc = s.VPCID
	}
	igwDetail := "attached to " + vpc
	if assumed {
		igwDetail = "not in the input; assumed attached to " + vpc + " because a route names it"
	}
	if f == ipv4 && a.addr != "" {
		igwDetail += "; delivers to public address " + a.addr
	}
	var rule graph.Range
	if pe.rule != nil {
		rule = pe.rule.r.Range
	}
	n := len(pe.hops) + 3
	path := make([]graph.Hop, 0, n)
	path = append(path, pe.hops[0], graph.Hop{Node: igw, Kind: graph.KindInternetGateway, Detail: igwDetail})
	path = append(path, pe.hops[1:]...)
	if a.eni != "" && a.eni != t.id {
		path = append(path, graph.Hop{Node: a.eni, Kind: graph.KindNetworkInterface, Detail: "in " + a.subnet})
	}
	path = append(path, graph.Hop{Node: t.id, Kind: t.kind, Detail: t.detail})
	mk := func(lo, hi int, extra *graph.Hop) graph.Exposure {
		e := graph.Exposure{Protocol: pe.proto, FromPort: lo, ToPort: hi, IPv6: f == ipv6, Via: ViaDirect, Sources: pe.sources, Rule: rule, Path: path}
		if extra != nil {
			e.Path = append(path[:len(path):len(path)], *extra)
		}
		return e
	}
	if !hasPorts(pe.proto) {
		return []graph.Exposure{mk(-1, -1, nil)}
	}
	if t.listeners == nil {
		return []graph.Exposure{mk(pe.lo, pe.hi, nil)}
	}
	var out []graph.Exposure
	ports := make([]int, 0, len(t.listeners[pe.proto]))
	for port := range t.listeners[pe.proto] {
		if port >= pe.lo && port <= pe.hi {
			ports = append(ports, port)
		}
	}
	sort.Ints(ports)
	for _, port := range ports {
		l := t.listeners[pe.proto][port]
		out = append(out, mk(port, port, &graph.Hop{Node: l.ID, Kind: graph.KindListener, Detail: fmt.Sprintf("listener %s:%d", l.Protocol, l.Port)}))
	}
	return out
}

// describeEntry says what an ACL entry covers of proto.
func describeEntry(e *aclEntry, proto string) string {
	if e.proto == graph.ProtocolAll {
		return "all traffic"
	}
	return describePorts(proto, portsOf(e.proto, e.e.FromPort, e.e.ToPort, proto))
}

func sortExposures(es []graph.Exposure) {
	if len(es) < 2 {
		return
	}
	slices.SortStableFunc(es, func(a, b graph.Exposure) int {
		if a.Via != b.Via {
			if a.Via == ViaDirect {
				return -1
			}
			if b.Via == ViaDirect {
				return 1
			}
			return strings.Compare(a.Via, b.Via)
		}
		if c := strings.Compare(a.Protocol, b.Protocol); c != 0 {
			return c
		}
		if c := cmp.Compare(a.FromPort, b.FromPort); c != 0 {
			return c
		}
		if c := cmp.Compare(a.ToPort, b.ToPort); c != 0 {
			return c
		}
		switch {
		case a.IPv6 == b.IPv6:
			return 0
		case b.IPv6:
			return -1
		}
		return 1
	})
}
