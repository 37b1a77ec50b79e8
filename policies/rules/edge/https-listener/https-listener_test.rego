package vpcgate.rules.edge.https_listener_test

import data.vpcgate.fixtures as fx
import data.vpcgate.rules.edge.https_listener as rule

forward := [{"type": "forward", "target_group_arns": ["tg-1"]}]

redirect := [{"type": "redirect", "redirect_protocol": "HTTPS", "redirect_port": "443"}]

test_http_forward_on_public_lb_fails if {
	d := fx.doc([fx.lb("alb", "internet-facing", []), fx.listener("l-80", "alb", "HTTP", 80, forward)])
	findings := rule.deny with input as d
	fx.ids(findings) == {"l-80"}
	some f in findings
	f.related[0].id == "alb"
}

test_http_redirect_passes if {
	d := fx.doc([fx.lb("alb", "internet-facing", []), fx.listener("l-80", "alb", "HTTP", 80, redirect)])
	count(rule.deny) == 0 with input as d
}

test_https_listener_passes if {
	d := fx.doc([fx.lb("alb", "internet-facing", []), fx.listener("l-443", "alb", "HTTPS", 443, forward)])
	count(rule.deny) == 0 with input as d
}

test_internal_lb_passes if {
	d := fx.doc([fx.lb("alb", "internal", []), fx.listener("l-80", "alb", "HTTP", 80, forward)])
	count(rule.deny) == 0 with input as d
}

test_redirect_to_http_fails if {
	d := fx.doc([fx.lb("alb", "internet-facing", []), fx.listener("l-80", "alb", "HTTP", 8080, [{"type": "redirect", "redirect_protocol": "HTTP"}])])
	count(rule.deny) == 1 with input as d
}

# A listener whose port the input does not hold says so, never "port 0".
test_missing_port_said_in_words if {
	d := fx.doc([fx.lb("alb", "internet-facing", []), fx.listener("l-80", "alb", "HTTP", 0, forward)])
	some f in rule.deny with input as d
	f.message == "HTTP listener (port not known) of internet-facing load balancer alb does not redirect to HTTPS"
}
