package sqlstore_test

import (
	"testing"

	"github.com/ticketbooth-go/ticketbooth/internal/pgtest"
	"github.com/ticketbooth-go/ticketbooth/internal/testclock"
	"github.com/ticketbooth-go/ticketbooth/ledger"
	"github.com/ticketbooth-go/ticketbooth/ledger/sqlstore"
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
		_, err := e.store.Contracts.SetReleaseFee(org, c.Address, 1)
		mustNil(t, err, "SetReleaseFee")
		e.clock.AdvanceBlocks(2)
		if rep := mustVerify(t, e); !rep.OK {
			t.Fatalf("Verify before the step = %+v", rep)
		}
		e.clock.AdvanceBlocks(-back)
		rc, err := e.store.Contracts.SetReleaseFee(org, c.Address, 2)
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

// TestSkewedServers: two stores (two servers) on one database, the second's clock three
// blocks behind. After the first has sealed up to its height, the second's writes land at
// or above the seal mark, never in a sealed block, and Verify passes.
func TestSkewedServers(t *testing.T) {
	e := openEnv(t)
	behind := testclock.New(e.clock.Now(), testInterval)
	late := mustOpen(t, e.db, sqlstore.Options{Now: behind.Now})
	org := e.actor(t, ledger.RoleOrganizer, "promoter")
	c := e.create(t, org, "1A")
	e.clock.AdvanceBlocks(7)
	behind.AdvanceBlocks(4)
	_, err := e.store.Contracts.SetReleaseFee(org, c.Address, 1)
	mustNil(t, err, "SetReleaseFee on the store ahead")
	if rep := mustVerify(t, e); !rep.OK || rep.Height != 7 {
		t.Fatalf("Verify on the store ahead = %+v, want OK sealed to 7", rep)
	}
	for i := range 3 {
		rc, err := late.Contracts.SetReleaseFee(org, c.Address, int64(2+i))
		mustNil(t, err, "SetReleaseFee on the store behind")
		if rc.Height < 7 {
			t.Errorf("write %d of the store behind at height %d, below the seal mark 7", i, rc.Height)
		}
	}
	e.clock.AdvanceBlocks(2)
	if rep := mustVerify(t, e); !rep.OK || rep.Transactions != 5 {
		t.Errorf("Verify after the late writes = %+v, want OK with 5 transactions", rep)
	}
}

// TestUpgradeOldLedger: a ledger from before the seal marks (and, on PostgreSQL, the
// sequences) opens, gets its marks from its sealed blocks, keeps verifying, and goes on
// numbering journal rows and keys after the ones it has.
func TestUpgradeOldLedger(t *testing.T) {
	e := openEnv(t)
	c, _ := history(t, e) // blocks sealed up to height 5, the clock at 6
	if rep := mustVerify(t, e); !rep.OK || rep.Blocks != 4 {
		t.Fatalf("Verify before the downgrade = %+v", rep)
	}
	mustNil(t, e.store.Close(), "Close")
	raw := e.rawDB(t)
	if raw.postgres {
		mustExec(t, raw, `DROP TRIGGER gate_changes_ticket ON tickets`)
		mustExec(t, raw, `DROP TRIGGER gate_changes_device ON device_keys`)
	} else {
		for _, trigger := range []string{"ticket", "device_added", "device_changed", "device_removed"} {
			mustExec(t, raw, `DROP TRIGGER gate_changes_`+trigger)
		}
	}
	mustExec(t, raw, `DROP TABLE gate_changes`)
	mustExec(t, raw, `DROP TABLE seal_mark`)
	mustExec(t, raw, `DROP TABLE gates`)
	mustExec(t, raw, `DROP TABLE customers`)
	mustExec(t, raw, `DROP TABLE bookings`)
	mustExec(t, raw, `DROP INDEX tickets_booking`)
	mustExec(t, raw, `ALTER TABLE tickets DROP COLUMN booking`)
	mustExec(t, raw, `ALTER TABLE tickets DROP COLUMN format`)
	mustExec(t, raw, `ALTER TABLE sales DROP COLUMN hold_seconds`)
	mustExec(t, raw, `DROP TABLE idempotency`)
	for _, table := range []string{"tp_venues", "tp_sectors", "tp_events", "tp_shows", "tp_prices", "tp_bookings", "tp_emails"} {
		mustExec(t, raw, `DROP TABLE `+table)
	}
	mustExec(t, raw, `DROP TABLE standing_sections`)
	mustExec(t, raw, `DROP TABLE bam_ids`)
	mustExec(t, raw, `DROP TABLE sale_type_prices`)
	mustExec(t, raw, `DROP TABLE resale_terms`)
	mustExec(t, raw, `DROP TABLE resale_offers`)
	mustExec(t, raw, `ALTER TABLE sales DROP COLUMN ticket_types`)
	mustExec(t, raw, `ALTER TABLE tickets DROP COLUMN ticket_type`)
	mustExec(t, raw, `ALTER TABLE tickets DROP COLUMN type_price`)
	mustExec(t, raw, `DROP TABLE wallet_codes`)
	mustExec(t, raw, `DROP TABLE wallet_links`)
	mustExec(t, raw, `DROP TABLE device_keys`)
	if raw.postgres {
		mustExec(t, raw, `DROP FUNCTION gate_changes_log`)
	}
	mustExec(t, raw, `ALTER TABLE tickets DROP COLUMN holder`)
	mustExec(t, raw, `ALTER TABLE tickets DROP COLUMN sold_by`)
	mustExec(t, raw, `DROP TABLE mail_queue`)
	mustExec(t, raw, `DROP TABLE partner_grants`)
	mustExec(t, raw, `DROP TABLE partner_calls`)
	mustExec(t, raw, `DROP TABLE season_accounts`)
	mustExec(t, raw, `DROP TABLE season_alt_ids`)
	mustExec(t, raw, `DROP TABLE command_jobs`)
	mustExec(t, raw, `DROP TABLE double_entries`)
	mustExec(t, raw, `ALTER TABLE sales DROP COLUMN offline_admission`)
	mustExec(t, raw, `ALTER TABLE sales DROP COLUMN reentry`)
	mustExec(t, raw, `ALTER TABLE tickets DROP COLUMN exited_at`)
	mustExec(t, raw, `ALTER TABLE tickets DROP COLUMN move_nonce`)
	for _, table := range []string{"webhooks", "webhook_deliveries", "webhook_attempts", "webhook_cursor"} {
		mustExec(t, raw, `DROP TABLE `+table)
	}
	mustExec(t, raw, `DELETE FROM meta WHERE name IN ('holder_key', 'holders_filled')`)
	mustExec(t, raw, `DELETE FROM schema_migrations WHERE name <> '0001_init.sql'`)
	if pgtest.OnPostgres() {
		mustExec(t, raw, `DROP SEQUENCE journal_seq`)
		mustExec(t, raw, `DROP SEQUENCE api_keys_seq`)
		mustExec(t, raw, `DROP SEQUENCE bookings_seq`)
	}
	e.store = mustOpen(t, e.db, sqlstore.Options{Now: e.clock.Now})
	var closed, sealed int64
	mustNil(t, raw.QueryRow(`SELECT closed, sealed FROM seal_mark WHERE id = 1`).Scan(&closed, &sealed), "reading the marks")
	if closed != 6 || sealed != 6 {
		t.Errorf("marks after the upgrade: closed %d, sealed %d; want 6 and 6 (just above the last sealed block, 5)", closed, sealed)
	}
	e.actor(t, ledger.RoleOrganizer, "after the upgrade") // key 2: ids go on after key 1
	_, err := e.store.Contracts.SetReleaseFee(e.admin, c.Address, 7)
	mustNil(t, err, "SetReleaseFee after the upgrade")
	e.clock.AdvanceBlocks(1)
	if rep := mustVerify(t, e); !rep.OK || rep.Transactions != 6 || rep.Blocks != 5 {
		t.Errorf("Verify after the upgrade = %+v, want OK with 6 transactions in 5 blocks", rep)
	}
	var seqs, distinct int64
	mustNil(t, raw.QueryRow(`SELECT COUNT(*), COUNT(DISTINCT seq) FROM journal`).Scan(&seqs, &distinct), "reading seqs")
	if seqs != 6 || distinct != 6 {
		t.Errorf("%d journal rows with %d distinct seqs", seqs, distinct)
	}
}
