package reach

import (
	"fmt"
	"strings"
	"unicode"

	"github.com/vpcgate/vpcgate/analyzer/graph"
)

// TierTag is the tag that overrides every other way of deciding a tier.
const TierTag = "vpcgate:tier"

// tierWord maps a tag value or a name word (lower case) to a tier.
func tierWord(w string) (graph.Tier, bool) {
	switch w {
	case "edge", "lb", "alb", "elb", "nlb", "public", "ingress":
		return graph.TierEdge, true
	case "bastion", "jump", "jumpbox", "jumphost":
		return graph.TierBastion, true
	case "app", "application", "web", "api", "backend", "frontend", "worker", "service":
		return graph.TierApp, true
	case "data", "db", "database", "rds", "mysql", "postgres", "postgresql", "aurora":
		return graph.TierData, true
	}
	return graph.TierNone, false
}

// nameHint finds the first word of name (split at anything but letters)
// that hints at a tier.
func nameHint(name string) (graph.Tier, string, bool) {
	start := -1
	for i, r := range name + " " {
		if unicode.IsLetter(r) {
			if start < 0 {
				start = i
			}
			continue
		}
		if start >= 0 {
			w := name[start:i]
			start = -1
			if t, ok := tierWord(w); ok {
				return t, w, true
			}
			if lw := strings.ToLower(w); lw != w {
				if t, ok := tierWord(lw); ok {
					return t, lw, true
				}
			}
		}
	}
	return graph.TierNone, "", false
}

func tierOfWord(s string) (graph.Tier, bool) {
	return tierWord(strings.ToLower(strings.TrimSpace(s)))
}

// assignTiers decides the tier of every compute node: the vpcgate:tier tag
// first, then structure, then the Tier, Role and Name tags, and last the
// default of Auto Scaling groups and ECS services (app).
func assignTiers(ix *index, facts *graph.Facts) {
	g := ix.g
	// Targets of target groups (and classic load balancers).
	behind := map[string]string{}
	for _, t := range facts.LBTargets {
		if _, ok := behind[t.Target]; ok {
			continue
		}
		if t.TargetGroup != "" {
			behind[t.Target] = fmt.Sprintf("target of target group %s (load balancer %s)", t.TargetGroup, t.LoadBalancer)
		} else {
			behind[t.Target] = fmt.Sprintf("registered with load balancer %s", t.LoadBalancer)
		}
	}
	// Groups a database admits on its port.
	appSG := map[string]string{}
	addDB := func(id string, port int, sgs []string) {
		for _, s := range uniq(sgs) {
			info := ix.sgs[s]
			if info == nil {
				continue
			}
			for _, r := range info.rules {
				if r.r.PeerKind != graph.PeerSG || r.r.Peer == s {
					continue
				}
				if port > 0 && !(r.matchesProto("tcp") && portsOf(r.proto, r.r.FromPort, r.r.ToPort, "tcp").contains(port)) {
					continue
				}
				if _, ok := appSG[r.r.Peer]; !ok {
					appSG[r.r.Peer] = fmt.Sprintf("security group %s is admitted by database %s's group %s on port %d", r.r.Peer, id, s, port)
				}
			}
		}
	}
	for _, d := range g.DBInstances() {
		addDB(d.ID, d.Port, d.SecurityGroups)
	}
	for _, c := range g.DBClusters() {
		addDB(c.ID, c.Port, c.SecurityGroups)
	}

	// Groups other groups admit on SSH or RDP only: the evidence that
	// their members are bastions.
	jumpSG := map[string]string{}
	admin := spans{{22, 22}, {3389, 3389}}
	for _, sg := range g.SecurityGroups() {
		info := ix.sgs[sg.ID]
		if info == nil {
			continue
		}
		for _, r := range info.rules {
			if r.r.PeerKind != graph.PeerSG || r.r.Peer == "" || r.r.Peer == sg.ID || r.r.Unknown || r.proto != "tcp" {
				continue
			}
			p := portsOf(r.proto, r.r.FromPort, r.r.ToPort, "tcp")
			if p.empty() || !p.subtract(admin).empty() {
				continue
			}
			if _, ok := jumpSG[r.r.Peer]; !ok {
				jumpSG[r.r.Peer] = fmt.Sprintf("group %s admits SSH/RDP from its security group %s", sg.ID, r.r.Peer)
			}
		}
	}

	decide := func(n graph.Node, nf *graph.NodeFacts) {
		b := n.Meta()
		if v, ok := b.Tags[TierTag]; ok {
			if t, ok := tierOfWord(v); ok {
				nf.Tier, nf.TierReason = t, fmt.Sprintf("tag %s=%s", TierTag, v)
				return
			}
		}
		if t, why := structuralTier(n, nf, behind, jumpSG, appSG, facts); t != graph.TierNone {
			nf.Tier, nf.TierReason = t, why
			return
		}
		for _, k := range []string{"Tier", "tier", "Role", "role"} {
			if v, ok := b.Tags[k]; ok {
				if t, ok := tierOfWord(v); ok {
					nf.Tier, nf.TierReason = t, fmt.Sprintf("tag %s=%s", k, v)
					return
				}
			}
		}
		name := b.Tags["Name"]
		if name == "" {
			name = b.Name
		}
		if t, w, ok := nameHint(name); ok {
			nf.Tier, nf.TierReason = t, `name contains "`+w+`"`
			return
		}
		// What a group or service launches is application compute unless
		// something above said otherwise, instances or not.
		switch b.Kind {
		case graph.KindAutoScalingGroup:
			nf.Tier, nf.TierReason = graph.TierApp, "Auto Scaling group: application compute by default"
		case graph.KindECSService:
			nf.Tier, nf.TierReason = graph.TierApp, "ECS service: application compute by default"
		}
	}
	// Groups and services first: their instances inherit from them.
	for _, k := range []graph.Kind{graph.KindLoadBalancer, graph.KindDBInstance, graph.KindDBCluster, graph.KindAutoScalingGroup, graph.KindECSService, graph.KindInstance} {
		for _, n := range g.Of(k) {
			if nf := facts.Nodes[n.Meta().ID]; nf != nil {
				decide(n, nf)
			}
		}
	}
}

// structuralTier decides a tier from evidence in the network: what a node
// is (a load balancer, a database), what forwards to it, and what other
// groups admit from its groups. Exposure is not evidence: a public host
// with SSH open to the world is an exposed host, not a bastion (a bastion
// is declared one, by tag or name, or is what other groups admit SSH or
// RDP from).
func structuralTier(n graph.Node, nf *graph.NodeFacts, behind, jumpSG, appSG map[string]string, facts *graph.Facts) (graph.Tier, string) {
	id := n.Meta().ID
	switch v := n.(type) {
	case *graph.LoadBalancer:
		if v.InternetFacing() {
			return graph.TierEdge, "internet-facing load balancer"
		}
		return graph.TierNone, ""
	case *graph.DBInstance, *graph.DBCluster:
		return graph.TierData, "database"
	}
	if why, ok := behind[id]; ok {
		return graph.TierApp, why
	}
	for _, s := range nf.SecurityGroups {
		if why, ok := jumpSG[s]; ok {
			return graph.TierBastion, why
		}
	}
	for _, s := range nf.SecurityGroups {
		if why, ok := appSG[s]; ok {
			return graph.TierApp, why
		}
	}
	if inst, ok := n.(*graph.Instance); ok && inst.AutoScalingGroup != "" {
		if af := facts.Nodes[inst.AutoScalingGroup]; af != nil && af.Tier != graph.TierNone {
			return af.Tier, fmt.Sprintf("member of Auto Scaling group %s (%s)", inst.AutoScalingGroup, af.TierReason)
		}
	}
	return graph.TierNone, ""
}
