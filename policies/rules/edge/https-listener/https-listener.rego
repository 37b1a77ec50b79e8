# METADATA
# title: Internet-facing HTTP listeners redirect to HTTPS
# description: |
#   Every HTTP listener of an internet-facing load balancer redirects to
#   HTTPS (its default action is a redirect with protocol HTTPS), so no
#   request or cookie crosses the internet in clear text. Classic load
#   balancers cannot redirect: an HTTP listener on one is a finding.
# related_resources:
#   - ref: https://docs.aws.amazon.com/elasticloadbalancing/latest/application/load-balancer-listeners.html#redirect-actions
#     description: Redirect actions of Application Load Balancer listeners
# custom:
#   id: https-listener
#   severity: medium
#   remediation: |
#     Make the HTTP listener's default action a redirect to HTTPS on port 443
#     (status HTTP_301) and serve the application on an HTTPS listener.
package vpcgate.rules.edge.https_listener

import data.vpcgate.lib

deny contains f if {
	some id, l in input.resources.listener
	upper(l.protocol) == "HTTP"
	lb := input.resources.load_balancer[l.load_balancer_arn]
	lb.scheme == "internet-facing"
	not redirects_to_https(l)
	f := lib.finding(
		lib.attr(id, "default_actions"),
		sprintf("HTTP listener %s of internet-facing load balancer %s does not redirect to HTTPS", [port_text(l), lib.label(lb)]),
		[lib.rel(lib.at(lb.id), "internet-facing load balancer")],
		"http",
	)
}

redirects_to_https(l) if {
	count(l.default_actions) > 0
	every a in l.default_actions {
		a.type == "redirect"
		upper(a.redirect_protocol) == "HTTPS"
	}
}

# port_text names the listener's port, in words when the input does not
# hold it.
port_text(l) := sprintf("on port %d", [l.port]) if l.port > 0

else := "(port not known)"
