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

	decide := func(n graph.Node, nf *graph.NodeFacts) {
		b := n.Meta()
		if v, ok := b.Tags[TierTag]; ok {
			if t, ok := tierOfWord(v); ok {
				nf.Tier, nf.TierReason = t, fmt.Sprintf("tag %s=%s", TierTag, v)
				return
			}
		}
		if t, why := structuralTier(ix, n, nf, behind, appSG, facts); t != graph.TierNone {
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

func structuralTier(ix *index, n graph.Node, nf *graph.NodeFacts, behind, appSG map[string]string, facts *graph.Facts) (graph.Tier, string) {
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
	if nf.PublicAddress && adminOnly(ix, nf.SecurityGroups) {
		return graph.TierBastion, "public address; its security groups admit only SSH/RDP"
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

// adminOnly reports whether groups admit something, and only TCP 22 and
// 3389.
func adminOnly(ix *index, sgs []string) bool {
	rules, _ := ix.groupRules(sgs)
	if len(rules) == 0 {
		return false
	}
	admin := spans{{22, 22}, {3389, 3389}}
	for _, r := range rules {
		if r.proto != "tcp" {
			return false
		}
		p := portsOf(r.proto, r.r.FromPort, r.r.ToPort, "tcp")
		if p.empty() || !p.subtract(admin).empty() {
			return false
		}
	}
	return true
}
