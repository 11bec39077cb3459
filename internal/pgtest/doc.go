// Package pgtest runs throwaway PostgreSQL clusters for tests and benchmarks: initdb into
// a temporary directory, the server on a free loopback port with its socket in that
// directory, a fresh database per test, and everything stopped and removed at the end.
//
// It uses Debian's postgresql package (initdb and postgres under
// /usr/lib/postgresql/VERSION/bin, or on PATH). PostgreSQL refuses to run as root, so
// when the tests run as root (as CI does) the server runs as the postgres system user.
// A small shell supervises the server and reads its standard input from the test
// process: when the test process ends, however it ends, the pipe closes and the shell
// stops the server and removes the directory.
//
// Use Database (or LedgerDB, which follows TICKETBOOTH_TEST_DB) in tests, with Main as the
// package's TestMain; Start and Cluster directly for a cluster with other settings, such
// as the durable one the benchmarks use.
package pgtest
