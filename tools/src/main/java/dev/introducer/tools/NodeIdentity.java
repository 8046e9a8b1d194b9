package dev.introducer.tools;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.SecureRandom;

import dev.introducer.protocol.Id32;

/**
 * A node's id and where it came from: given ({@code --id}), read from the id file, generated and written to the
 * id file (so that a restart keeps it: peers learn one id per introducer host), or random for this run only.
 *
 * @param id     the id.
 * @param source {@code configured}, {@code file}, {@code generated} or {@code random}.
 */
record NodeIdentity(Id32 id, String source)
{
    /**
     * Resolves the id.
     *
     * @param idText   the configured id (64 hex digits), or null.
     * @param origin   where {@code idText} came from, for an error.
     * @param idFile   the file that keeps a generated id, or null for none.
     * @return the id.
     * @throws UserException when the id or the id file's content is not 64 hex digits, or the file cannot be used.
     */
    static NodeIdentity resolve(final String idText, final String origin, final Path idFile)
    {
        if (null != idText)
        {
            return new NodeIdentity(parse(idText, origin), "configured");
        }
        if (null == idFile)
        {
            return new NodeIdentity(Id32.random(new SecureRandom()), "random");
        }
        try
        {
            if (Files.exists(idFile))
            {
                return new NodeIdentity(parse(Files.readString(idFile, StandardCharsets.US_ASCII).strip(),
                    "the id file " + idFile), "file");
            }
            final Id32 id = Id32.random(new SecureRandom());
            final Path parent = idFile.toAbsolutePath().getParent();
            Files.createDirectories(parent);
            // Written whole, then moved in place: a crash mid-write never leaves a half id to be read back.
            final Path partial = Files.createTempFile(parent, ".node-id", ".tmp");
            Files.writeString(partial, id.toHex() + "\n", StandardCharsets.US_ASCII);
            Files.move(partial, idFile, StandardCopyOption.ATOMIC_MOVE);
            return new NodeIdentity(id, "generated");
        }
        catch (final IOException | RuntimeException ex)
        {
            if (ex instanceof UserException)
            {
                throw (UserException)ex;
            }
            throw new UserException("cannot use the id file " + idFile + ": " + ErrorHandlers.oneLine(ex));
        }
    }

    private static Id32 parse(final String hex, final String origin)
    {
        try
        {
            return Id32.fromHex(hex);
        }
        catch (final IllegalArgumentException ex)
        {
            throw new UserException(origin + ": " + ErrorHandlers.oneLine(ex));
        }
    }
}
