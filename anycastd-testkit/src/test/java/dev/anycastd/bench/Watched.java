package dev.anycastd.bench;

/** A process the benchmark watches while it waits for the upstream router: if it exits, the scenario fails with its last lines. */
interface Watched {

    /** What it is, for messages: "the daemon", "ExaBGP". */
    String what();

    boolean isAlive();

    /** The last lines of its output. */
    String tail(int lines);
}
