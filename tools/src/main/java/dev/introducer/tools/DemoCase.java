package dev.introducer.tools;

import java.util.List;

import dev.introducer.tools.lab.NatMode;

/**
 * One pair of {@code introducer demo}: which lab hosts run the two peers, the NAT modes of routers A and B, and
 * the path the pair must take. Side one sends rounds of test messages, side two echoes them ({@code --echo}).
 *
 * @param name         e.g. {@code "easy↔hard"}.
 * @param hostOne      the lab host of the sending side.
 * @param hostTwo      the lab host of the echoing side.
 * @param natA         router A's mode (hosts a, a2).
 * @param natB         router B's mode (hosts b, b2).
 * @param expectedPath {@code direct}, {@code local} or {@code relay}.
 */
record DemoCase(String name, String hostOne, String hostTwo, NatMode natA, NatMode natB, String expectedPath)
{
    /** The six cases, in the order the demo runs them. */
    static final List<DemoCase> ALL = List.of(
        new DemoCase("easy↔easy", "a", "b", NatMode.EASY, NatMode.EASY, "direct"),
        new DemoCase("easy↔hard", "a", "b", NatMode.EASY, NatMode.HARD, "direct"),
        new DemoCase("hard↔easy", "a", "b", NatMode.HARD, NatMode.EASY, "direct"),
        new DemoCase("hard↔hard (relayed)", "a", "b", NatMode.HARD, NatMode.HARD, "relay"),
        new DemoCase("same NAT (local)", "a", "a2", NatMode.EASY, NatMode.EASY, "local"),
        new DemoCase("public↔hard", "pub", "b", NatMode.EASY, NatMode.HARD, "direct"));

    /**
     * @return the name as a swarm-name and file-name part, e.g. {@code easy-hard}.
     */
    String slug()
    {
        return name.replace("↔", "-").replaceAll("[^A-Za-z0-9-]+", "-").replaceAll("-+$", "");
    }
}
