package docpos

import "testing"

func TestLocate(t *testing.T) {
	d := Parse("s.yaml", []byte("version: \"1\"\nload:\n  phases:\n    - start: 0\n      duration: 5\n    - start: 9\n      rps: -1\n"))
	for path, want := range map[string]int{"version": 1, "load": 2, "load.phases[1].rps": 7, "load.phases[0].duration": 5, "load.phases[5].rps": 3, "nope": 1} {
		if got := d.Line(path); got != want {
			t.Errorf("Line(%s) = %d, want %d", path, got, want)
		}
	}
	err := d.Locate(Field("load.phases[1].rps", "must be positive, not %d", -1))
	if err.Error() != "s.yaml:7: load.phases[1].rps: must be positive, not -1" {
		t.Errorf("err = %v", err)
	}
	if Parse("x", []byte("{{{")).Line("a") != 0 {
		t.Error("a broken document has lines")
	}
}
