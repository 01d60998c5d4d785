package dev.anycastd.daemon;

import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URISyntaxException;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** Reads {@code HOST:PORT} ({@code 127.0.0.1:9108}, {@code [::1]:9108}, {@code localhost:9108}) for a listener. */
final class ListenAddress implements ITypeConverter<InetSocketAddress> {

    @Override
    public InetSocketAddress convert(String value) {
        String text = value.strip();
        URI uri;
        try {
            uri = new URI("http://" + text);
        } catch (URISyntaxException e) {
            throw invalid(value);
        }
        if (uri.getHost() == null || uri.getPort() < 0 || uri.getPort() > 65535 || !("http://" + text).equals("http://"
                + uri.getRawAuthority()) || uri.getRawUserInfo() != null) {
            throw invalid(value);
        }
        String host = uri.getHost().startsWith("[") ? uri.getHost().substring(1, uri.getHost().length() - 1) : uri.getHost();
        InetSocketAddress address = new InetSocketAddress(host, uri.getPort());
        if (address.isUnresolved()) {
            throw new TypeConversionException("\"" + value + "\": cannot resolve host \"" + host + "\"");
        }
        return address;
    }

    private static TypeConversionException invalid(String value) {
        return new TypeConversionException("\"" + value + "\" is not HOST:PORT; use e.g. \"127.0.0.1:9108\" or \"[::1]:9108\"");
    }
}
