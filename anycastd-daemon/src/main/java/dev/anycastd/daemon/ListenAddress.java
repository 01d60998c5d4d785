package dev.anycastd.daemon;

import dev.anycastd.config.toml.DaemonSettings;
import java.net.InetSocketAddress;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * Reads {@code HOST:PORT} ({@code 127.0.0.1:9108}, {@code [::1]:9108}, {@code localhost:9108}) for a
 * listener, as the configuration's {@code metrics-listen} is read.
 */
final class ListenAddress implements ITypeConverter<InetSocketAddress> {

    @Override
    public InetSocketAddress convert(String value) {
        try {
            return DaemonSettings.parseListenAddress(value);
        } catch (IllegalArgumentException e) {
            throw new TypeConversionException(e.getMessage());
        }
    }
}
