package live

import (
	"context"
	"errors"
	"fmt"
	"net"
	"strings"

	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"
	"github.com/aws/smithy-go"
)

// Codes of failures recorded in the report that are not AWS error codes.
const (
	CodeUnreachable = "Unreachable" // the endpoint could not be reached
	CodeError       = "Error"       // anything else without an AWS code
)

// errorCode returns the AWS error code of err and its message, or one of
// the codes above.
func errorCode(err error) (code, message string) {
	var api smithy.APIError
	if errors.As(err, &api) {
		return api.ErrorCode(), api.ErrorMessage()
	}
	var op *net.OpError
	var dns *net.DNSError
	if errors.As(err, &dns) {
		return CodeUnreachable, dns.Error()
	}
	if errors.As(err, &op) {
		return CodeUnreachable, op.Error()
	}
	return CodeError, err.Error()
}

// deniedCodes are the codes of a call the credentials may not make.
func isDenied(code string) bool {
	switch code {
	case "AccessDenied", "AccessDeniedException", "UnauthorizedOperation", "UnauthorizedAccess",
		"UnauthorizedException", "AuthorizationError", "AccessDeniedForDependency":
		return true
	}
	return false
}

// isRegionDown reports whether a code means the region cannot be used with
// these credentials at all: not enabled (opt-in regions), or unknown to
// the account.
func isRegionDown(code string) bool {
	switch code {
	case "AuthFailure", "UnrecognizedClientException", "InvalidClientTokenId", "OptInRequired", CodeUnreachable:
		return true
	}
	return false
}

// Explain turns an error of the SDK into one line a user can act on: no
// credentials, expired credentials, an endpoint that cannot be reached, a
// call refused. It keeps the AWS error code and message when there is one.
func Explain(err error) error {
	if err == nil {
		return nil
	}
	if errors.Is(err, context.Canceled) {
		return errors.New("interrupted")
	}
	if errors.Is(err, context.DeadlineExceeded) {
		return errors.New("timed out")
	}
	var api smithy.APIError
	if errors.As(err, &api) {
		code, msg := api.ErrorCode(), api.ErrorMessage()
		switch code {
		case "ExpiredToken", "ExpiredTokenException", "RequestExpired", "TokenRefreshRequired":
			return fmt.Errorf("the AWS credentials have expired (%s: %s): refresh them (aws sso login, or new keys) and run again", code, msg)
		case "InvalidClientTokenId", "UnrecognizedClientException", "AuthFailure", "SignatureDoesNotMatch":
			return fmt.Errorf("the AWS credentials were refused (%s: %s): check the profile or the access keys", code, msg)
		}
		if isDenied(code) {
			return fmt.Errorf("access denied (%s: %s): the credentials need the permissions of examples/iam/vpcgate-readonly.json", code, msg)
		}
		return fmt.Errorf("%s: %s", code, msg)
	}
	var dns *net.DNSError
	if errors.As(err, &dns) {
		return fmt.Errorf("cannot reach AWS: %v (check the region name, the network or AWS_ENDPOINT_URL)", dns)
	}
	var op *net.OpError
	if errors.As(err, &op) {
		return fmt.Errorf("cannot reach AWS: %v (check the network or AWS_ENDPOINT_URL)", op)
	}
	var sign *v4.SigningError
	text := strings.ToLower(err.Error())
	if errors.As(err, &sign) || strings.Contains(text, "get credentials") || strings.Contains(text, "retrieve credentials") ||
		strings.Contains(text, "refresh cached credentials") || strings.Contains(text, "get identity") {
		if strings.Contains(text, "expired") {
			return errors.New("the AWS credentials have expired: refresh them (aws sso login --profile NAME) and run again")
		}
		return errors.New("no AWS credentials found: give --profile, set AWS_PROFILE or AWS_ACCESS_KEY_ID, or run aws configure / aws sso login")
	}
	return err
}
