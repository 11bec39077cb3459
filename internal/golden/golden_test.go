package golden

import "testing"

func TestDiff(t *testing.T) {
	want := "a\nb\nc\nd\ne\nf\ng\n"
	got := "a\nb\nc\nD\ne\nf\ng\nh\n"
	out := Diff(want, got)
	if out != "  b\n  c\n- d\n+ D\n  e\n  f\n  g\n+ h\n" {
		t.Errorf("Diff =\n%s", out)
	}
	if Diff(want, want) != "" {
		t.Errorf("Diff of equal texts = %q", Diff(want, want))
	}
}
