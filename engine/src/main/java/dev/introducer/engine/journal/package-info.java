/**
 * The attempt journal: every connection attempt's outcome (time, NAT pair, strategy, probes, result, time to
 * connect, path) as a fixed-size record in a memory-mapped ring file, appended off the data path and read from
 * another process while the writers append. {@link dev.introducer.engine.journal.JournalDescriptor} has the layout.
 */
package dev.introducer.engine.journal;
