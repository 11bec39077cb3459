package sqlstore_test

import (
	"testing"

	"github.com/ticketbooth-go/ticketbooth/ledger"
)

// TestClockSteppedBack: the wall clock can step back (NTP). A write made then must not
// land in a block already sealed or left behind, or Verify would call an honest journal
// tampered.
func TestClockSteppedBack(t *testing.T) {
	for _, back := range []int{2, 3} {
		e := openEnv(t)
		org := e.actor(t, ledger.RoleOrganizer, "promoter")
		c := e.create(t, org, "1A")
		e.clock.AdvanceBlocks(5)
		_, err := e.store.SetReleaseFee(org, c.Address, 1)
		mustNil(t, err, "SetReleaseFee")
		e.clock.AdvanceBlocks(2)
		if rep := mustVerify(t, e); !rep.OK {
			t.Fatalf("Verify before the step = %+v", rep)
		}
		e.clock.AdvanceBlocks(-back)
		rc, err := e.store.SetReleaseFee(org, c.Address, 2)
		mustNil(t, err, "SetReleaseFee after the clock stepped back")
		e.clock.AdvanceBlocks(back + 1)
		if rep := mustVerify(t, e); !rep.OK {
			t.Errorf("clock back %d blocks: Verify = %+v, want OK: nothing was altered", back, rep)
		}
		if rc.Height < 7 {
			t.Errorf("clock back %d blocks: a write after sealing up to height 7 got height %d", back, rc.Height)
		}
	}
}
