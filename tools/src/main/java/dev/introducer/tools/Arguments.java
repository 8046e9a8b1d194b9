package dev.introducer.tools;

import java.time.Duration;

import dev.introducer.protocol.Endpoint;

/**
 * Checks of option values, turning each mistake into a one-line {@link UserException}. Addresses are parsed here
 * rather than by a picocli converter so that a bad address reads the same whichever way the command was started.
 */
final class Arguments
{
    private Arguments()
    {
    }

    /**
     * Parses every value of a repeated {@code IP:PORT} option.
     *
     * @param option the option's name, for the message.
     * @param texts  the values.
     * @return the endpoints, in order.
     * @throws UserException naming the option and the reason.
     */
    static java.util.List<Endpoint> endpoints(final String option, final java.util.List<String> texts)
    {
        final java.util.List<Endpoint> endpoints = new java.util.ArrayList<>(texts.size());
        for (final String text : texts)
        {
            endpoints.add(endpoint(option, text));
        }
        return endpoints;
    }

    /**
     * Parses an {@code IP:PORT} option value.
     *
     * @param option the option's name, for the message.
     * @param text   the value.
     * @return the endpoint.
     * @throws UserException naming the option and the reason.
     */
    static Endpoint endpoint(final String option, final String text)
    {
        try
        {
            return Endpoint.parse(text);
        }
        catch (final IllegalArgumentException ex)
        {
            throw new UserException(option + ": " + ex.getMessage());
        }
    }

    /**
     * The address part of an endpoint, in the text form {@code Engine.Builder.bind} takes.
     *
     * @param endpoint the endpoint.
     * @return the numeric address.
     */
    static String host(final Endpoint endpoint)
    {
        return endpoint.toInetSocketAddress().getAddress().getHostAddress();
    }

    /**
     * Checks a duration in seconds that must be greater than zero.
     *
     * @param option  the option's name, for the message.
     * @param seconds the value.
     * @return the value as a duration, at millisecond precision.
     * @throws UserException when it is not positive or not finite.
     */
    static Duration positiveSeconds(final String option, final double seconds)
    {
        if (!(seconds > 0) || Double.isInfinite(seconds) || seconds * 1000 < 1)
        {
            throw new UserException(option + " must be at least 0.001 seconds, got " + seconds);
        }
        return Duration.ofMillis((long)(seconds * 1000));
    }

    /**
     * Checks a duration in seconds that may be zero.
     *
     * @param option  the option's name, for the message.
     * @param seconds the value.
     * @return the value as a duration, at millisecond precision.
     * @throws UserException when it is negative or not finite.
     */
    static Duration nonNegativeSeconds(final String option, final double seconds)
    {
        if (!(seconds >= 0) || Double.isInfinite(seconds))
        {
            throw new UserException(option + " must be zero or more seconds, got " + seconds);
        }
        return Duration.ofMillis((long)(seconds * 1000));
    }

    /**
     * Checks an integer range.
     *
     * @param option the option's name, for the message.
     * @param value  the value.
     * @param min    smallest allowed.
     * @param max    largest allowed.
     * @return the value.
     * @throws UserException when it is out of range.
     */
    static int range(final String option, final int value, final int min, final int max)
    {
        if (value < min || value > max)
        {
            throw new UserException(option + " must be " + min + ".." + max + ", got " + value);
        }
        return value;
    }
}
