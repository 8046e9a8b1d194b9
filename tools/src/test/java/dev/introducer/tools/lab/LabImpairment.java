package dev.introducer.tools.lab;

import java.time.Duration;
import java.util.List;
import java.util.Locale;

/**
 * What a lab's network does to the peers' datagrams during a trial: loss on the internet bridge ({@code netlab.sh
 * impair --loss}, every hop, both directions) and a delay with jitter on the WAN side of routers A and B
 * ({@code netlab.sh delay}, each way; jitter reorders datagrams, as on real paths).
 *
 * @param name        for the results table, e.g. {@code "loss 10 %"}.
 * @param lossPercent bridge loss, 0 for none.
 * @param delayA      router A's delay each way in ms, 0 for none.
 * @param jitterA     router A's extra uniform 0..jitter ms.
 * @param delayB      router B's delay each way in ms, 0 for none.
 * @param jitterB     router B's extra uniform 0..jitter ms.
 */
record LabImpairment(String name, int lossPercent, int delayA, int jitterA, int delayB, int jitterB)
{
    /** Nothing in the way. */
    static final LabImpairment NONE = new LabImpairment("none", 0, 0, 0, 0, 0);

    private static final Duration DELAY_COMMAND_LIMIT = Duration.ofSeconds(20);

    /**
     * @param percent bridge loss.
     * @return loss alone.
     */
    static LabImpairment loss(final int percent)
    {
        return new LabImpairment("loss " + percent + " %", percent, 0, 0, 0, 0);
    }

    /**
     * The delays of the "10–100 ms per router with jitter": A 20 ms + 0..30 ms, B 60 ms + 0..40 ms, so
     * the two sides differ and a round trip through both routers takes 160–300 ms.
     *
     * @return delay alone.
     */
    static LabImpairment delay()
    {
        return new LabImpairment("delay 20+30/60+40 ms", 0, 20, 30, 60, 40);
    }

    /**
     * @param percent bridge loss on top of {@link #delay()}.
     * @return both.
     */
    static LabImpairment lossAndDelay(final int percent)
    {
        final LabImpairment delay = delay();
        return new LabImpairment("loss " + percent + " % + " + delay.name(), percent, delay.delayA, delay.jitterA,
            delay.delayB, delay.jitterB);
    }

    /**
     * Applies this impairment, replacing any other.
     *
     * @param lab the lab.
     */
    void apply(final NetLab lab)
    {
        lab.impairLoss(lossPercent);
        delay(lab, "rta", delayA, jitterA);
        delay(lab, "rtb", delayB, jitterB);
    }

    /**
     * Removes every impairment.
     *
     * @param lab the lab.
     */
    static void clear(final NetLab lab)
    {
        NONE.apply(lab);
    }

    private static void delay(final NetLab lab, final String router, final int ms, final int jitter)
    {
        final List<String> args = 0 == ms
            ? List.of("delay", router, "off")
            : List.of("delay", router, Integer.toString(ms), "--jitter", Integer.toString(jitter));
        lab.netlab(DELAY_COMMAND_LIMIT, args.toArray(String[]::new))
            .requireSuccess(String.join(" ", args).toLowerCase(Locale.ROOT));
    }
}
