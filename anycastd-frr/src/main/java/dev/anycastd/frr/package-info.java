/**
 * Prefixes announced by FRRouting through bgpd's vty socket or {@code vtysh} (provider type
 * {@code frrouting}).
 *
 * <p>Who owns what: {@link dev.anycastd.frr.FrrPrefixProvider} validates every value that can
 * reach a command; {@code BgpInstance} builds the commands of one BGP instance and batches its
 * prefixes into one call; an {@code FrrTransport} carries a call with its timeout
 * ({@code Vtysh} runs the process, {@code VtySocket} speaks the vty protocol on bgpd's socket,
 * {@code VtySocketOrVtysh} picks one of them at each call); {@code FrrOutput} is the one reader
 * of what FRR prints; {@link dev.anycastd.frr.VtyshException}
 * carries the facts of a failed call.
 */
package dev.anycastd.frr;
