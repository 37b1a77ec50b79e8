package describe

import (
	"fmt"
	"math"
	"strconv"
	"time"

	"github.com/go-json-experiment/json/jsontext"
)

// parseTime parses the timestamp forms of describe dumps: RFC 3339, a
// space instead of 'T', a zone written +0000, or no zone at all (UTC).
func parseTime(s string) (time.Time, error) {
	if len(s) > 10 && s[10] == ' ' {
		s = s[:10] + "T" + s[11:]
	}
	// The forms found in real dumps, once a space between date and time
	// has become a 'T'. Fractional seconds are accepted by time.Parse
	// without being named in a layout.
	layouts := [...]string{
		time.RFC3339,                // 2024-01-02T03:04:05Z, …+00:00
		"2006-01-02T15:04:05Z0700",  // …+0000
		"2006-01-02T15:04:05Z07",    // …+00
		"2006-01-02T15:04:05",       // no zone: UTC
		"2006-01-02T15:04:05 Z0700", // …T03:04:05 +0000
		"2006-01-02T15:04:05 MST",   // …T03:04:05 UTC
		"2006-01-02",                // a date alone
	}
	for _, layout := range layouts {
		if t, err := time.Parse(layout, s); err == nil {
			return t, nil
		}
	}
	return time.Time{}, fmt.Errorf("unrecognised timestamp %q", s)
}

// decodeTime reads a timestamp in any accepted form into t: a string as
// parseTime takes it, a number of seconds since the Unix epoch, or null.
// It is installed as the unmarshaler of every time.Time of the SDK types.
func decodeTime(dec *jsontext.Decoder, t *time.Time) error {
	tok, err := dec.ReadToken()
	if err != nil {
		return err
	}
	switch tok.Kind() {
	case 'n':
		*t = time.Time{}
		return nil
	case '"':
		v, err := parseTime(tok.String())
		if err != nil {
			return err
		}
		*t = v
		return nil
	case '0':
		f, err := strconv.ParseFloat(tok.String(), 64)
		if err != nil || math.IsInf(f, 0) || math.IsNaN(f) || math.Abs(f) > 1e12 {
			return fmt.Errorf("unrecognised timestamp %s", tok.String())
		}
		sec, frac := math.Modf(f)
		*t = time.Unix(int64(sec), int64(frac*1e9)).UTC()
		return nil
	}
	return fmt.Errorf("timestamp is a JSON %s, want a string", kindName(tok.Kind()))
}

// kindName names a JSON kind for messages.
func kindName(k jsontext.Kind) string {
	switch k {
	case 'n':
		return "null"
	case 'f', 't':
		return "boolean"
	case '"':
		return "string"
	case '0':
		return "number"
	case '{':
		return "object"
	case '[':
		return "array"
	}
	return "value"
}
