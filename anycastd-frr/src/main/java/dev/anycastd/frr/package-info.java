/**
 * Prefixes announced by FRRouting through {@code vtysh} (provider type {@code frrouting}).
 *
 * <p>Who owns what: {@link dev.anycastd.frr.FrrPrefixProvider} validates every value that can
 * reach a vtysh command; {@code BgpInstance} builds the commands of one BGP instance and batches
 * its prefixes into one vtysh call; {@code Vtysh} runs the process with its timeout;
 * {@code FrrOutput} is the one reader of what vtysh prints; {@link dev.anycastd.frr.VtyshException}
 * carries the facts of a failed call.
 */
package dev.anycastd.frr;
