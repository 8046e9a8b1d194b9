package dev.introducer.engine.host;

/**
 * Plain {@code long} counters indexed by an enum, for one writer thread (readers on other threads see values
 * that may lag). The engine's and the relay's counters are both this; a host copies them into a mapped counters
 * file or a metrics endpoint on its own schedule.
 *
 * @param <E> the enum of counters; each has a stable snake_case metric name.
 */
public class EnumCounters<E extends Enum<E> & EnumCounters.Named>
{
    /** A counter with a stable metric name. */
    public interface Named
    {
        /**
         * A stable snake_case name.
         *
         * @return the name.
         */
        String metricName();
    }

    private final E[] types;
    private final long[] values;

    /**
     * Counters for every constant of an enum.
     *
     * @param type the enum class.
     */
    protected EnumCounters(final Class<E> type)
    {
        this.types = type.getEnumConstants();
        this.values = new long[types.length];
    }

    /**
     * Adds one.
     *
     * @param type which counter.
     */
    public final void increment(final E type)
    {
        values[type.ordinal()]++;
    }

    /**
     * Adds a delta.
     *
     * @param type  which counter.
     * @param delta how much.
     */
    public final void add(final E type, final long delta)
    {
        values[type.ordinal()] += delta;
    }

    /**
     * A counter's value.
     *
     * @param type which.
     * @return its value.
     */
    public final long get(final E type)
    {
        return values[type.ordinal()];
    }

    /**
     * The non-zero counters, by name.
     *
     * @return the text form.
     */
    public String toString()
    {
        final StringBuilder sb = new StringBuilder(getClass().getSimpleName()).append('{');
        for (final E type : types)
        {
            if (values[type.ordinal()] != 0)
            {
                sb.append(type.metricName()).append('=').append(values[type.ordinal()]).append(' ');
            }
        }
        return sb.append('}').toString();
    }
}
