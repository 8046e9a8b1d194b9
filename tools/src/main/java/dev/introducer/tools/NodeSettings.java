package dev.introducer.tools;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.function.Function;

/**
 * Where each setting of {@code introducer node} comes from: the command line first, then the environment
 * ({@code INTRODUCER_NODE_<KEY>}, the key upper-cased with {@code -} as {@code _}), then the config file
 * ({@code --config FILE}, Java properties), then the default. A key of the file or an {@code INTRODUCER_NODE_}
 * variable that is not in {@link #KEYS} is a user error, so a typo never passes silently. Relative paths in the
 * file are relative to the file's directory; on the command line and in the environment, to the working directory.
 */
final class NodeSettings
{
    /** The prefix of the environment overrides. */
    static final String ENV_PREFIX = "INTRODUCER_NODE_";
    /** Every key of the config file; each is also an option {@code --key} and a variable INTRODUCER_NODE_KEY. */
    static final List<String> KEYS = List.of(
        "listen", "keepalive", "id", "id-file", "counters-file", "metrics",
        "relay", "relay-public", "relay-secret-file", "relay-workers");
    /** The file next to the config that keeps a generated id across restarts. */
    static final String ID_FILE_NAME = "node.id";
    /** The directory of the default counters file is this prefix and the id's first 8 hex digits. */
    static final String COUNTERS_DIR_PREFIX = "introducer-";
    /** The name of the counters file in that directory. */
    static final String COUNTERS_FILE_NAME = "counters.dat";

    private final Path configFile;
    private final Properties file = new Properties();
    private final Map<String, String> environment;

    /**
     * Reads and checks the config file and the environment.
     *
     * @param configFile  the config file, or null for none.
     * @param environment the environment, normally {@code System.getenv()}.
     * @throws UserException when the file cannot be read or a key is unknown.
     */
    NodeSettings(final Path configFile, final Map<String, String> environment)
    {
        this.configFile = configFile;
        this.environment = environment;
        if (null != configFile)
        {
            try (Reader reader = Files.newBufferedReader(configFile, StandardCharsets.UTF_8))
            {
                file.load(reader);
            }
            catch (final IOException | RuntimeException ex)
            {
                throw new UserException("cannot read the config file " + configFile + ": " + ErrorHandlers.oneLine(ex));
            }
            for (final String key : file.stringPropertyNames())
            {
                if (!KEYS.contains(key))
                {
                    throw new UserException("config file " + configFile + ": unknown key '" + key + "' (keys: " +
                        String.join(", ", KEYS) + ")");
                }
            }
        }
        for (final String name : environment.keySet())
        {
            if (name.startsWith(ENV_PREFIX) && !KEYS.contains(keyOf(name)))
            {
                throw new UserException("unknown environment variable " + name + " (keys: " +
                    String.join(", ", KEYS) + ")");
            }
        }
    }

    /**
     * A setting's text: the command line's if given, else the environment's, else the file's.
     *
     * @param key      one of {@link #KEYS}.
     * @param cliValue the option's value, or null when not given.
     * @return the text, or null when set nowhere.
     */
    String text(final String key, final String cliValue)
    {
        if (null != cliValue)
        {
            return cliValue;
        }
        final String env = environment.get(envName(key));
        if (null != env)
        {
            return env.strip();
        }
        final String value = file.getProperty(key);
        return null == value ? null : value.strip();
    }

    /**
     * Where a setting without a command-line value comes from, to name it in an error.
     *
     * @param key one of {@link #KEYS}.
     * @return for example {@code INTRODUCER_NODE_KEEPALIVE} or {@code keepalive in node.properties}.
     */
    String origin(final String key)
    {
        if (null != environment.get(envName(key)))
        {
            return envName(key);
        }
        if (null != file.getProperty(key))
        {
            return key + " in " + configFile;
        }
        return "--" + key;
    }

    /**
     * A repeated setting: the command line's values if any, else the comma-separated list of the environment or
     * the file.
     *
     * @param key       one of {@link #KEYS}.
     * @param cliValues the option's values, empty when not given.
     * @return the values, empty when set nowhere.
     */
    List<String> list(final String key, final List<String> cliValues)
    {
        if (!cliValues.isEmpty())
        {
            return cliValues;
        }
        final String text = text(key, null);
        final List<String> values = new ArrayList<>();
        if (null != text)
        {
            for (final String value : text.split(","))
            {
                if (!value.isBlank())
                {
                    values.add(value.strip());
                }
            }
        }
        return values;
    }

    /**
     * A decimal setting.
     *
     * @param key      one of {@link #KEYS}.
     * @param cliValue the option's value, or null.
     * @return the value, or null when set nowhere.
     * @throws UserException when the text is not a number.
     */
    Double decimal(final String key, final Double cliValue)
    {
        return parsed(key, cliValue, Double::valueOf, "a number");
    }

    /**
     * An integer setting.
     *
     * @param key      one of {@link #KEYS}.
     * @param cliValue the option's value, or null.
     * @return the value, or null when set nowhere.
     * @throws UserException when the text is not an integer.
     */
    Integer integer(final String key, final Integer cliValue)
    {
        return parsed(key, cliValue, Integer::valueOf, "an integer");
    }

    /**
     * A path setting; a relative path from the config file is taken from the file's directory.
     *
     * @param key      one of {@link #KEYS}.
     * @param cliValue the option's value, or null.
     * @return the path, or null when set nowhere.
     */
    Path path(final String key, final Path cliValue)
    {
        if (null != cliValue)
        {
            return cliValue;
        }
        final String text = text(key, null);
        if (null == text)
        {
            return null;
        }
        final Path path = Path.of(text);
        final boolean fromFile = null == environment.get(envName(key));
        return fromFile && !path.isAbsolute() ? configDirectory().resolve(path) : path;
    }

    /**
     * The directory of the config file, where the id file lives by default.
     *
     * @return the directory, or null without a config file.
     */
    Path configDirectory()
    {
        if (null == configFile)
        {
            return null;
        }
        final Path parent = configFile.toAbsolutePath().getParent();
        return null == parent ? Path.of("") : parent;
    }

    /**
     * Where default counters files go: {@code /dev/shm} (memory, as Aeron's directory) when there is one, else
     * the temporary directory.
     *
     * @return the directory.
     */
    static Path countersBase()
    {
        final Path shm = Path.of("/dev/shm");
        return Files.isDirectory(shm) && Files.isWritable(shm) ? shm : Path.of(System.getProperty("java.io.tmpdir"));
    }

    /**
     * The environment variable of a key.
     *
     * @param key one of {@link #KEYS}.
     * @return for example {@code INTRODUCER_NODE_RELAY_SECRET_FILE}.
     */
    static String envName(final String key)
    {
        return ENV_PREFIX + key.toUpperCase(Locale.ROOT).replace('-', '_');
    }

    private <T> T parsed(
        final String key, final T cliValue, final Function<String, T> parse, final String expected)
    {
        if (null != cliValue)
        {
            return cliValue;
        }
        final String text = text(key, null);
        try
        {
            return null == text ? null : parse.apply(text);
        }
        catch (final NumberFormatException ex)
        {
            throw new UserException(origin(key) + ": not " + expected + ": '" + text + "'");
        }
    }

    private static String keyOf(final String envName)
    {
        return envName.substring(ENV_PREFIX.length()).toLowerCase(Locale.ROOT).replace('_', '-');
    }
}
