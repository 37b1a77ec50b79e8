package reach

import (
	"cmp"
	"context"
	"fmt"
	"net/netip"
	"slices"
	"strings"

	"github.com/vpcgate/vpcgate/analyzer/graph"
)

// lbTarget is one resolved target of a listener.
type lbTarget struct {
	id     string // node id, or the raw target id (an IP) when unknown
	kind   graph.Kind
	port   int
	health string
	sgs    []string
	noSGs  bool // targets without security groups (Lambda, ALB)
	known  bool
}

// lbTargets lists every listener → target group → target edge, decides
// whether each target admits the load balancer, and gives admitted targets
// of internet-facing load balancers an exposure via the load balancer.
// It stops once ctx is done (checked at each load balancer and target
// group), returning its error.
func (ix *index) lbTargets(ctx context.Context, nodes map[string]*graph.NodeFacts) ([]graph.LBTarget, error) {
	var out []graph.LBTarget
	for _, lb := range ix.g.LoadBalancers() {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		lbFacts := nodes[lb.ID]
		for _, l := range ix.listeners[lb.ID] {
			if lb.Type == "classic" {
				port := l.InstancePort
				if port == 0 {
					port = l.Port
				}
				var ts []lbTarget
				for _, id := range uniq(lb.Instances) {
					ts = append(ts, ix.instanceLBTarget(id, port, "", nodes))
				}
				for _, a := range ix.asgByLBName[lb.LBName] {
					ts = append(ts, ix.asgLBTarget(a, port))
				}
				out = ix.addTargets(out, lb, l, nil, ts, lbFacts, nodes)
				continue
			}
			for _, arn := range uniq(l.TargetGroupARNs()) {
				tg := ix.tgs[arn]
				if tg == nil {
					continue
				}
				var ts []lbTarget
				for _, t := range tg.Targets {
					port := t.Port
					if port == 0 {
						port = tg.Port
					}
					switch tg.TargetType {
					case "lambda", "alb":
						ts = append(ts, lbTarget{id: t.ID, kind: ix.kindOf(t.ID), port: port, health: t.Health, noSGs: true, known: ix.g.Node(t.ID) != nil})
					case "ip":
						if e := ix.eniByIP[t.ID]; e != nil {
							ts = append(ts, lbTarget{id: e.ID, kind: graph.KindNetworkInterface, port: port, health: t.Health, sgs: uniq(e.SecurityGroups), known: true})
						} else {
							ts = append(ts, lbTarget{id: t.ID, port: port, health: t.Health})
						}
					default:
						ts = append(ts, ix.instanceLBTarget(t.ID, port, t.Health, nodes))
					}
				}
				for _, a := range ix.asgByTG[arn] {
					ts = append(ts, ix.asgLBTarget(a, tg.Port))
				}
				for _, s := range ix.ecsByTG[arn] {
					port := tg.Port
					for _, e := range s.LoadBalancers {
						if e.TargetGroupARN == arn && e.ContainerPort > 0 {
							port = e.ContainerPort
						}
					}
					ts = append(ts, lbTarget{id: s.ID, kind: graph.KindECSService, port: port, sgs: uniq(s.SecurityGroups), known: true})
				}
				out = ix.addTargets(out, lb, l, tg, ts, lbFacts, nodes)
				if err := ctx.Err(); err != nil {
					return nil, err
				}
			}
		}
	}
	slices.SortFunc(out, compareLBTargets)
	return out, nil
}

func compareLBTargets(a, b graph.LBTarget) int {
	return cmp.Or(
		strings.Compare(a.LoadBalancer, b.LoadBalancer),
		strings.Compare(a.Listener, b.Listener),
		strings.Compare(a.TargetGroup, b.TargetGroup),
		strings.Compare(a.Target, b.Target),
		cmp.Compare(a.Port, b.Port),
	)
}

func (ix *index) kindOf(id string) graph.Kind {
	if n := ix.g.Node(id); n != nil {
		return n.Meta().Kind
	}
	return ""
}

func (ix *index) instanceLBTarget(id string, port int, health string, nodes map[string]*graph.NodeFacts) lbTarget {
	t := lbTarget{id: id, kind: graph.KindInstance, port: port, health: health}
	// The instance's facts hold the groups of all its interfaces.
	if nf := nodes[id]; nf != nil && ix.kindOf(id) == graph.KindInstance {
		t.known, t.sgs = true, nf.SecurityGroups
	}
	return t
}

func (ix *index) asgLBTarget(a *graph.AutoScalingGroup, port int) lbTarget {
	t := lbTarget{id: a.ID, kind: graph.KindAutoScalingGroup, port: port, known: true}
	if lt := ix.lts[a.LaunchTemplateID]; lt != nil {
		t.sgs = uniq(lt.AllSecurityGroups())
	}
	return t
}

// admits finds the rule of groups sgs that admits load balancer lb on
// proto and port: one naming a group of the load balancer, or a CIDR that
// holds one of its subnets (the source of a load balancer without groups).
func (ix *index) admits(lb *graph.LoadBalancer, sgs []string, proto string, port int) *sgRule {
	lbSGs := map[string]bool{}
	for _, s := range lb.SecurityGroups {
		lbSGs[s] = true
	}
	var lbNets []netip.Prefix
	for _, s := range lb.SubnetIDs {
		if sub := ix.subnets[s]; sub != nil {
			if p, ok := parsePrefix(sub.CIDRBlock, ipv4); ok {
				lbNets = append(lbNets, p)
			}
		}
	}
	rules, _ := ix.groupRules(sgs)
	for _, r := range rules {
		if !r.matchesProto(proto) || !portsOf(r.proto, r.r.FromPort, r.r.ToPort, proto).contains(port) {
			continue
		}
		switch {
		case r.r.PeerKind == graph.PeerSG && lbSGs[r.r.Peer]:
			return r
		case r.isPfx && r.fam == ipv4:
			for _, n := range lbNets {
				if r.pfx.Bits() <= n.Bits() && r.pfx.Contains(n.Addr()) {
					return r
				}
			}
		}
	}
	return nil
}

func (ix *index) addTargets(out []graph.LBTarget, lb *graph.LoadBalancer, l *graph.Listener, tg *graph.TargetGroup, ts []lbTarget, lbFacts *graph.NodeFacts, nodes map[string]*graph.NodeFacts) []graph.LBTarget {
	tgID := ""
	if tg != nil {
		tgID = tg.ID
	}
	for _, t := range ts {
		var rule *sgRule
		admitted := t.noSGs
		proto := listenerProtos(l.Protocol)[0]
		if !admitted && t.known {
			rule = ix.admits(lb, t.sgs, proto, t.port)
			admitted = rule != nil
		}
		out = append(out, graph.LBTarget{LoadBalancer: lb.ID, Listener: l.ID, TargetGroup: tgID, Target: t.id, Port: t.port, Admitted: admitted})
		nf := nodes[t.id]
		if !admitted || nf == nil || lbFacts == nil || !lb.InternetFacing() {
			continue
		}
		for _, le := range lbFacts.InternetReachable {
			if le.Via != ViaDirect || le.Protocol != proto || le.FromPort != l.Port {
				continue
			}
			path := append([]graph.Hop(nil), le.Path...)
			if tg != nil {
				d := fmt.Sprintf("forwards to port %d", t.port)
				if t.health != "" {
					d += " (target " + t.health + ")"
				}
				path = append(path, graph.Hop{Node: tg.ID, Kind: graph.KindTargetGroup, Detail: d})
			}
			d := fmt.Sprintf("port %d", t.port)
			var rng graph.Range
			if rule != nil {
				d += fmt.Sprintf("; %s inbound rule %d admits the load balancer from %s", rule.sg, rule.index, rule.r.Peer)
				rng = rule.r.Range
			}
			path = append(path, graph.Hop{Node: t.id, Kind: t.kind, Detail: d})
			e := graph.Exposure{Protocol: proto, FromPort: t.port, ToPort: t.port, IPv6: le.IPv6, Via: lb.ID, Path: path, Sources: le.Sources, Rule: rng}
			if !hasExposure(nf.InternetReachable, e) {
				nf.InternetReachable = append(nf.InternetReachable, e)
			}
		}
	}
	return out
}

func hasExposure(es []graph.Exposure, e graph.Exposure) bool {
	for _, o := range es {
		if o.Via == e.Via && o.Protocol == e.Protocol && o.FromPort == e.FromPort && o.ToPort == e.ToPort && o.IPv6 == e.IPv6 {
			return true
		}
	}
	return false
}
