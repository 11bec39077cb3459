package pgtest

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"sync/atomic"
	"syscall"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib" // the "pgx" database/sql driver
)

// ErrNotInstalled is returned when initdb or postgres cannot be found.
var ErrNotInstalled = errors.New("PostgreSQL server binaries not found (Debian: apt-get install postgresql)")

// Settings are server settings for a test cluster: durability off, enough connections
// for several servers. Pass Durable to Start for figures that must include fsync.
var Settings = []string{"fsync=off", "synchronous_commit=off", "full_page_writes=off", "max_connections=200"}

// Durable are the settings of a cluster that syncs its WAL like a production one.
var Durable = []string{"max_connections=200"}

// Cluster is a running throwaway PostgreSQL server.
type Cluster struct {
	dir     string
	port    int
	admin   *sql.DB
	stdin   io.WriteCloser
	exited  chan struct{}
	created atomic.Int64
}

// Start initialises a cluster in a new temporary directory and starts it with the
// settings (name=value). ErrNotInstalled when the binaries are missing.
func Start(settings []string) (*Cluster, error) {
	bin, err := binDir()
	if err != nil {
		return nil, err
	}
	owner, err := serverUser()
	if err != nil {
		return nil, err
	}
	var last error
	for range 3 { // a port taken between choosing and binding it makes one attempt fail
		c, err := startIn(bin, owner, settings)
		if err == nil {
			return c, nil
		}
		last = err
	}
	return nil, last
}

func startIn(bin string, owner *runAs, settings []string) (*Cluster, error) {
	dir, err := os.MkdirTemp("", "pgtest-")
	if err != nil {
		return nil, err
	}
	if err := initdb(bin, dir, owner); err != nil {
		os.RemoveAll(dir)
		return nil, err
	}
	c, err := launch(bin, dir, owner, settings)
	if err != nil {
		os.RemoveAll(dir)
	}
	return c, err
}

// binDir returns the folder of initdb and postgres: the newest /usr/lib/postgresql/*/bin,
// else the one on PATH.
func binDir() (string, error) {
	dirs, _ := filepath.Glob("/usr/lib/postgresql/*/bin")
	sort.Slice(dirs, func(i, j int) bool { return version(dirs[i]) > version(dirs[j]) })
	for _, d := range dirs {
		if isFile(filepath.Join(d, "initdb")) && isFile(filepath.Join(d, "postgres")) {
			return d, nil
		}
	}
	if p, err := exec.LookPath("initdb"); err == nil {
		d := filepath.Dir(p)
		if isFile(filepath.Join(d, "postgres")) {
			return d, nil
		}
	}
	return "", ErrNotInstalled
}

func version(binDir string) int {
	n, _ := strconv.Atoi(filepath.Base(filepath.Dir(binDir)))
	return n
}

func isFile(p string) bool {
	st, err := os.Stat(p)
	return err == nil && !st.IsDir()
}

// runAs is the user the server runs as: nil for the current one, the postgres system
// user when the current one is root.
type runAs struct{ uid, gid int }

func serverUser() (*runAs, error) {
	if os.Geteuid() != 0 {
		return nil, nil
	}
	u, err := user.Lookup("postgres")
	if err != nil {
		return nil, fmt.Errorf("running as root and there is no postgres user to run the server as: %w", err)
	}
	uid, err1 := strconv.Atoi(u.Uid)
	gid, err2 := strconv.Atoi(u.Gid)
	if err1 != nil || err2 != nil {
		return nil, fmt.Errorf("postgres user has ids %q/%q", u.Uid, u.Gid)
	}
	return &runAs{uid, gid}, nil
}

// command makes a command run as owner (when set) in dir.
func command(owner *runAs, dir, name string, args ...string) *exec.Cmd {
	cmd := exec.Command(name, args...)
	cmd.Dir = dir
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	if owner != nil {
		cmd.SysProcAttr.Credential = &syscall.Credential{Uid: uint32(owner.uid), Gid: uint32(owner.gid)}
		cmd.Env = append(os.Environ(), "HOME="+dir)
	}
	return cmd
}

func initdb(bin, dir string, owner *runAs) error {
	if owner != nil {
		if err := os.Chown(dir, owner.uid, owner.gid); err != nil {
			return err
		}
	}
	cmd := command(owner, dir, filepath.Join(bin, "initdb"), "-D", filepath.Join(dir, "data"), "-A", "trust",
		"-U", "postgres", "-E", "UTF8", "--locale=C", "--no-sync", "--no-instructions")
	if out, err := cmd.CombinedOutput(); err != nil {
		return fmt.Errorf("initdb: %v: %s", err, strings.TrimSpace(string(out)))
	}
	return nil
}

// supervisor starts the server, waits for its standard input to close, then stops the
// server and removes the cluster's directory.
const supervisor = `"$1/postgres" -D "$2/data" -p "$3" -k "$2" -c listen_addresses=127.0.0.1 "${@:4}" >"$2/server.log" 2>&1 &
pid=$!
read -r _ || true
kill -INT "$pid" 2>/dev/null
wait "$pid"
rm -rf "$2"
`

func launch(bin, dir string, owner *runAs, settings []string) (*Cluster, error) {
	port, err := freePort()
	if err != nil {
		return nil, err
	}
	args := []string{"-c", supervisor, "pgtest", bin, dir, strconv.Itoa(port)}
	for _, s := range settings {
		args = append(args, "-c", s)
	}
	cmd := command(owner, dir, "/bin/bash", args...)
	stdin, err := cmd.StdinPipe()
	if err != nil {
		return nil, err
	}
	if err := cmd.Start(); err != nil {
		return nil, err
	}
	c := &Cluster{dir: dir, port: port, stdin: stdin, exited: make(chan struct{})}
	go func() { cmd.Wait(); close(c.exited) }()
	if err := c.waitReady(30 * time.Second); err != nil {
		c.kill()
		return nil, err
	}
	return c, nil
}

func freePort() (int, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, err
	}
	defer ln.Close()
	return ln.Addr().(*net.TCPAddr).Port, nil
}

func (c *Cluster) waitReady(limit time.Duration) error {
	db, err := sql.Open("pgx", c.URL("postgres"))
	if err != nil {
		return err
	}
	deadline := time.Now().Add(limit)
	for {
		ctx, cancel := context.WithTimeout(context.Background(), time.Second)
		err = db.PingContext(ctx)
		cancel()
		if err == nil {
			c.admin = db
			return nil
		}
		select {
		case <-c.exited:
			db.Close()
			return fmt.Errorf("postgres stopped at start: %s", c.logTail())
		default:
		}
		if time.Now().After(deadline) {
			db.Close()
			return fmt.Errorf("postgres not ready after %s: %v: %s", limit, err, c.logTail())
		}
		time.Sleep(50 * time.Millisecond)
	}
}

func (c *Cluster) logTail() string {
	b, _ := os.ReadFile(filepath.Join(c.dir, "server.log"))
	s := strings.TrimSpace(string(b))
	if len(s) > 2000 {
		s = s[len(s)-2000:]
	}
	return s
}

// URL returns the connection URL of a database of the cluster.
func (c *Cluster) URL(database string) string {
	return fmt.Sprintf("postgres://postgres@127.0.0.1:%d/%s?sslmode=disable", c.port, database)
}

// CreateDatabase creates a new empty database and returns its URL.
func (c *Cluster) CreateDatabase(ctx context.Context) (string, error) {
	name := fmt.Sprintf("ledger_%d", c.created.Add(1))
	if _, err := c.admin.ExecContext(ctx, "CREATE DATABASE "+name); err != nil {
		return "", err
	}
	return c.URL(name), nil
}

// DropDatabase drops a database made by CreateDatabase, closing its connections.
func (c *Cluster) DropDatabase(ctx context.Context, url string) error {
	i := strings.LastIndexByte(url, '/')
	name, _, _ := strings.Cut(url[i+1:], "?")
	_, err := c.admin.ExecContext(ctx, "DROP DATABASE IF EXISTS "+name+" WITH (FORCE)")
	return err
}

// Stop stops the server and removes its directory.
func (c *Cluster) Stop() error {
	if c.admin != nil {
		c.admin.Close()
	}
	c.stdin.Close()
	select {
	case <-c.exited:
		return nil
	case <-time.After(30 * time.Second):
		return fmt.Errorf("postgres in %s did not stop within 30s", c.dir)
	}
}

func (c *Cluster) kill() {
	c.stdin.Close()
	<-c.exited
}

// Dir returns the cluster's temporary directory (data, socket and server log).
func (c *Cluster) Dir() string { return c.dir }
